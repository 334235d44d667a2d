#include "decks/json_document.hpp"
#include "decks/json_message.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace certdrill::decks {

std::string pointer_escape(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

namespace {

constexpr std::size_t kCheckpointShift = 12;
constexpr std::size_t kCheckpointMask = (std::size_t{1} << kCheckpointShift) - 1;

// An input iterator over the text that publishes how many bytes the parser has consumed, so
// SAX events can be mapped back to positions in the file.
class CountingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    CountingIterator(const char* p, const char* base, std::size_t* consumed)
        : p_(p), base_(base), consumed_(consumed) {}
    reference operator*() const { return *p_; }
    CountingIterator& operator++() {
        ++p_;
        *consumed_ = static_cast<std::size_t>(p_ - base_);
        return *this;
    }
    CountingIterator operator++(int) {
        auto old = *this;
        ++*this;
        return old;
    }
    bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
    bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

private:
    const char* p_;
    const char* base_;
    std::size_t* consumed_;
};

// Finds the opening quote of a string token that ends just before `end`.
std::size_t string_start(std::string_view text, std::size_t end) {
    if (end < 2) return 0;
    std::size_t i = end - 2;  // last character inside the quotes
    while (i > 0) {
        if (text[i] == '"') {
            std::size_t backslashes = 0;
            while (i > backslashes && text[i - 1 - backslashes] == '\\') ++backslashes;
            if (backslashes % 2 == 0) return i;
        }
        --i;
    }
    return 0;
}

// Start of a number or literal; the lexer has read one character past it.
std::size_t scalar_start(std::string_view text, std::size_t consumed) {
    std::size_t i = std::min(consumed, text.size());
    while (i > 0 && std::string_view("\t\n\r ,]}").find(text[i - 1]) != std::string_view::npos) --i;
    while (i > 0 && std::string_view("0123456789+-.eEtrufalsn").find(text[i - 1]) != std::string_view::npos) --i;
    return i;
}


// Common slips in hand-written JSON, recognised from the parser's message.
std::string syntax_hint(const std::string& message) {
    if (message.find("unexpected string literal") != std::string::npos ||
        message.find("unexpected '{'") != std::string::npos || message.find("unexpected '['") != std::string::npos)
        return "is a comma missing before this point?";
    if (message.find("unexpected '}'") != std::string::npos || message.find("unexpected ']'") != std::string::npos)
        return "JSON allows no comma after the last item";
    if (message.find("end of input") != std::string::npos) return "a closing bracket or quote is missing";
    if (message.find("control character") != std::string::npos) return "write a new line as \\n and a tab as \\t";
    if (message.find("UTF-8") != std::string::npos) return "save the file as UTF-8";
    if (message.find("invalid literal") != std::string::npos)
        return "text needs double quotes; true, false and null are lower case";
    return {};
}

}  // namespace

std::string json_quoted(std::string_view text, std::size_t max_bytes) {
    std::string quoted = Json(std::string(text.substr(0, max_bytes))).dump(-1, ' ', true, Json::error_handler_t::replace);
    if (text.size() > max_bytes) quoted.insert(quoted.size() - 1, "...");
    return quoted;
}

std::string without_library_tag(std::string what) {
    if (what.rfind("[json.exception.", 0) == 0)
        if (auto tag_end = what.find("] "); tag_end != std::string::npos) what.erase(0, tag_end + 2);
    return what;
}

std::string clean_parse_message(const std::string& what) {
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
    // while parsing value - invalid literal; last read: 'x'"
    std::string msg = without_library_tag(what);
    if (auto p = msg.find("syntax error while parsing "); p != std::string::npos)
        msg = msg.substr(p);
    else if (auto q = msg.find(": "); q != std::string::npos)
        msg = msg.substr(q + 2);
    if (auto dash = msg.find(" - "); dash != std::string::npos) msg = "syntax error: " + msg.substr(dash + 3);
    // The "last read" excerpt may hold raw bytes (invalid UTF-8, control characters) that must
    // not reach a terminal; the line and column already say where the problem is.
    if (auto last = msg.find("; last read:"); last != std::string::npos) msg.erase(last);
    return msg;
}

class PositionRecorder {
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    PositionRecorder(JsonDocument& doc, const std::size_t& consumed) : doc_(doc), consumed_(consumed) {}

    bool null() { return add(nullptr, scalar_start(doc_.text_, consumed_)); }
    bool boolean(bool v) { return add(v, scalar_start(doc_.text_, consumed_)); }
    bool number_integer(number_integer_t v) { return add(v, scalar_start(doc_.text_, consumed_)); }
    bool number_unsigned(number_unsigned_t v) { return add(v, scalar_start(doc_.text_, consumed_)); }
    bool number_float(number_float_t v, const string_t&) { return add(v, scalar_start(doc_.text_, consumed_)); }
    // Copied, not moved: `v` is the lexer's buffer, which keeps its capacity for the next string
    // only while it keeps its storage (a moved-from buffer grows again from nothing, reallocating
    // several times for each long string).
    bool string(string_t& v) { return add(std::as_const(v), string_start(doc_.text_, consumed_)); }
    bool binary(binary_t&) { return false; }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(string_t& k) {
        Frame& top = frames_.back();
        top.key = k;
        top.key_offset = string_start(doc_.text_, consumed_);
        if (top.value->contains(k)) {
            doc_.duplicate_keys_.push_back({top.key_offset, frames_.back().pointer + "/" + pointer_escape(k),
                                            "duplicate key '" + k + "'",
                                            "remove one of the two; only the last would be kept"});
        }
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        if (!doc_.syntax_error_) {
            std::size_t offset = position > 0 ? position - 1 : 0;
            std::string message = clean_parse_message(ex.what());
            doc_.syntax_error_ = JsonProblem{offset, "", message, syntax_hint(message)};
        }
        return false;
    }

private:
    struct Frame {
        Json* value;
        std::string pointer;
        std::size_t next_index = 0;
        std::string key;
        std::size_t key_offset = 0;
    };

    // Places a value in its parent and returns where it lives, recording its position. The
    // value's pointer is built only when it is recorded or names a container (`need_pointer`).
    Json* place(Json&& v, std::size_t value_offset, std::string& pointer_out, bool need_pointer) {
        if (frames_.empty()) {
            doc_.root_ = std::move(v);
            pointer_out.clear();
            remember(pointer_out, value_offset);
            return &doc_.root_;
        }
        Frame& top = frames_.back();
        const bool named = need_pointer || recording();
        Json* slot;
        if (top.value->is_array()) {
            const std::size_t index = top.next_index++;
            if (named) pointer_out = top.pointer + "/" + std::to_string(index);
            top.value->push_back(std::move(v));
            slot = &top.value->back();
            if (named) remember(pointer_out, value_offset);
        } else {
            if (named) pointer_out = top.pointer + "/" + pointer_escape(top.key);
            slot = &((*top.value)[top.key] = std::move(v));
            if (named) remember(pointer_out, top.key_offset);
        }
        return slot;
    }

    template <class T>
    bool add(T&& v, std::size_t offset) {
        std::string pointer;
        place(Json(std::forward<T>(v)), offset, pointer, false);
        return true;
    }

    bool open(Json&& container) {
        if (static_cast<int>(frames_.size()) >= JsonDocument::kMaxDepth) {
            doc_.syntax_error_ =
                JsonProblem{consumed_ > 0 ? consumed_ - 1 : 0, "",
                            "nesting deeper than " + std::to_string(JsonDocument::kMaxDepth) + " levels",
                            "a deck needs only a few levels; check for runaway brackets"};
            return false;
        }
        std::string pointer;
        Json* slot = place(std::move(container), consumed_ > 0 ? consumed_ - 1 : 0, pointer, true);
        frames_.push_back(Frame{slot, std::move(pointer), 0, {}, 0});
        return true;
    }

    bool close() {
        frames_.pop_back();
        return true;
    }

    bool recording() const { return frames_.size() < static_cast<std::size_t>(doc_.position_depth_); }

    void remember(const std::string& pointer, std::size_t offset) {
        if (recording()) doc_.offsets_.emplace(pointer, offset);
    }

    JsonDocument& doc_;
    const std::size_t& consumed_;
    std::vector<Frame> frames_;
};

JsonDocument JsonDocument::parse(std::string text) { return parse(std::move(text), kEagerDepth); }

JsonDocument JsonDocument::parse(std::string text, int position_depth) {
    JsonDocument doc;
    doc.position_depth_ = position_depth;
    doc.text_ = std::move(text);
    doc.line_starts_.push_back(0);
    std::size_t code_points = 0;
    for (std::size_t i = 0; i < doc.text_.size(); ++i) {
        if ((i & kCheckpointMask) == 0) doc.code_point_checkpoints_.push_back(code_points);
        if ((static_cast<unsigned char>(doc.text_[i]) & 0xC0) != 0x80) ++code_points;
        if (doc.text_[i] == '\n') doc.line_starts_.push_back(i + 1);
    }

    std::size_t consumed = 0;
    const char* base = doc.text_.data();
    CountingIterator first(base, base, &consumed);
    CountingIterator last(base + doc.text_.size(), base, &consumed);
    PositionRecorder recorder(doc, consumed);
    try {
        nlohmann::json::sax_parse(first, last, &recorder);
    } catch (const std::exception& e) {
        // Defensive: the SAX interface reports errors through parse_error, but never let a
        // surprise escape the loader.
        if (!doc.syntax_error_)
            doc.syntax_error_ = JsonProblem{consumed, "", std::string("cannot parse: ") + e.what(), ""};
    }
    if (doc.syntax_error_) doc.root_ = Json();
    return doc;
}

TextPosition JsonDocument::position_at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    std::size_t line_index = static_cast<std::size_t>(std::distance(line_starts_.begin(), it)) - 1;
    std::size_t start = line_starts_[line_index];
    std::size_t column = 1;
    if (offset - start <= (std::size_t{1} << kCheckpointShift)) {
        // A line of ordinary length: count its code points up to the offset.
        for (std::size_t i = start; i < offset; ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    } else {
        column = code_points_before(offset) - code_points_before(start) + 1;
    }
    return {static_cast<int>(line_index) + 1, static_cast<int>(column)};
}

std::size_t JsonDocument::code_points_before(std::size_t offset) const {
    if (code_point_checkpoints_.empty()) return 0;
    std::size_t block = std::min(offset >> kCheckpointShift, code_point_checkpoints_.size() - 1);
    std::size_t count = code_point_checkpoints_[block];
    for (std::size_t i = block << kCheckpointShift; i < offset && i < text_.size(); ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++count;
    return count;
}

const JsonDocument::Offsets& JsonDocument::deep_offsets() const {
    if (!deep_offsets_) deep_offsets_ = std::make_unique<Offsets>(parse(text_, kPositionDepth).offsets_);
    return *deep_offsets_;
}

TextPosition JsonDocument::position_of(std::string_view pointer) const {
    // A pointer deeper than the positions recorded while parsing needs the full record.
    const auto levels = static_cast<int>(std::count(pointer.begin(), pointer.end(), '/'));
    const Offsets& offsets = levels >= position_depth_ && position_depth_ < kPositionDepth ? deep_offsets() : offsets_;
    std::string p(pointer);
    while (true) {
        if (auto it = offsets.find(p); it != offsets.end()) return position_at(it->second);
        if (p.empty()) return {1, 1};
        p.erase(p.rfind('/'));
    }
}

}  // namespace certdrill::decks
