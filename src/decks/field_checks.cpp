#include "decks/field_checks.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"

namespace certdrill::decks {

void FileReporter::add(Severity s, const std::string& pointer, std::string message, std::string hint) {
    if (s == Severity::Error) ++errors_;
    if (s == Severity::Warning) ++warnings_;
    if (silent_) return;
    TextPosition pos = doc_.position_of(pointer);
    out_.add(Diagnostic{file_, pos.line, pos.column, s, card_id_, pointer, std::move(message), std::move(hint)});
}

void FileReporter::error(const std::string& pointer, std::string message, std::string hint) {
    add(Severity::Error, pointer, std::move(message), std::move(hint));
}

void FileReporter::warning(const std::string& pointer, std::string message, std::string hint) {
    add(Severity::Warning, pointer, std::move(message), std::move(hint));
}

void FileReporter::file_error(std::string message, std::string hint) {
    ++errors_;
    if (!silent_) out_.add(Diagnostic{file_, 0, 0, Severity::Error, {}, {}, std::move(message), std::move(hint)});
}

const char* type_name(JsonType t) {
    switch (t) {
        case JsonType::String:
            return "a string";
        case JsonType::Integer:
            return "an integer";
        case JsonType::Number:
            return "a number";
        case JsonType::Bool:
            return "true or false";
        case JsonType::Array:
            return "an array";
        case JsonType::Object:
            return "an object";
        case JsonType::Any:
            return "a value";
    }
    return "?";
}

bool has_type(const Json& v, JsonType t) {
    switch (t) {
        case JsonType::String:
            return v.is_string();
        case JsonType::Integer:
            return v.is_number_integer();
        case JsonType::Number:
            return v.is_number();
        case JsonType::Bool:
            return v.is_boolean();
        case JsonType::Array:
            return v.is_array();
        case JsonType::Object:
            return v.is_object();
        case JsonType::Any:
            return true;
    }
    return false;
}

std::string describe(const Json& v) {
    if (v.is_string()) return "a string";
    if (v.is_number_integer()) return "an integer";
    if (v.is_number()) return "a number";
    if (v.is_boolean()) return "a boolean";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    return "null";
}

bool bool_or(const Json& obj, std::string_view field, bool fallback) {
    auto it = obj.find(std::string(field));
    return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string child(const std::string& pointer, std::string_view field) { return pointer + "/" + pointer_escape(field); }
std::string child(const std::string& pointer, std::size_t index) { return pointer + "/" + std::to_string(index); }

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t cost = (a[i - 1] == b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}
}  // namespace

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.size() > 64) return std::nullopt;
    std::string lowered = text::lower(word);
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(lowered, text::lower(c));
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    if (auto c = closest(word, candidates)) return "did you mean '" + *c + "'?";
    return {};
}

bool check_fields(const Json& obj, const std::string& pointer, std::span<const FieldSpec> specs, FileReporter& r,
                  std::string_view what, const std::vector<std::string_view>& elsewhere,
                  std::string_view elsewhere_owner) {
    bool ok = true;
    // The known names, for hints: built only when a field is unknown.
    std::vector<std::string> names;
    for (const auto& item : obj.items()) {
        // Named copies rather than a structured binding: clang before 16 cannot capture those.
        const std::string& key = item.key();
        const Json& value = item.value();
        auto spec = std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.name == key; });
        if (spec == specs.end()) {
            ok = false;
            std::string shown = text::sanitize(key);
            if (std::find(elsewhere.begin(), elsewhere.end(), key) != elsewhere.end()) {
                r.error(child(pointer, key), "field '" + shown + "' is not used by " + std::string(elsewhere_owner),
                        "remove it, or change the card's type");
                continue;
            }
            if (names.empty())
                for (const auto& s : specs) names.emplace_back(s.name);
            std::string hint = did_you_mean(key, names);
            if (hint.empty()) {
                hint = "known fields: ";
                for (std::size_t i = 0; i < names.size(); ++i) hint += (i ? ", " : "") + names[i];
            }
            r.error(child(pointer, key), "unknown field '" + shown + "' in " + std::string(what), hint);
            continue;
        }
        if (!has_type(value, spec->type)) {
            ok = false;
            r.error(child(pointer, key),
                    "'" + std::string(spec->name) + "' must be " + type_name(spec->type) + ", not " + describe(value));
        }
    }
    for (const auto& s : specs) {
        if (s.required && !obj.contains(std::string(s.name))) {
            ok = false;
            r.error(
                pointer, "missing required field '" + std::string(s.name) + "' in " + std::string(what),
                "add \"" + std::string(s.name) + "\": " + (s.type == JsonType::String ? "\"...\"" : type_name(s.type)));
        }
    }
    return ok;
}

namespace {
std::string code_point_name(char32_t cp) {
    static const char* kNames[] = {"NUL", "SOH",       "STX", "ETX",     "EOT", "ENQ",       "ACK",
                                   "BEL", "backspace", "tab", "newline", "VT",  "form feed", "carriage return",
                                   "SO",  "SI",        "DLE", "DC1",     "DC2", "DC3",       "DC4",
                                   "NAK", "SYN",       "ETB", "CAN",     "EM",  "SUB",       "escape",
                                   "FS",  "GS",        "RS",  "US"};
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    std::string out = buf;
    if (cp < 0x20)
        out += std::string(" (") + kNames[cp] + ")";
    else if (cp == 0x7F)
        out += " (delete)";
    else if (text::is_bidi_control(cp))
        out += " (bidirectional control)";
    return out;
}
}  // namespace

std::optional<std::string> optional_text(const Json& obj, std::string_view field, const std::string& pointer,
                                         FileReporter& r) {
    auto it = obj.find(std::string(field));
    if (it == obj.end() || !it->is_string()) return std::nullopt;
    const std::string& s = it->get_ref<const std::string&>();
    if (is_blank_text(s)) {
        r.error(child(pointer, field), "'" + std::string(field) + "' is empty", "write the text or remove the field");
        return std::nullopt;
    }
    if (auto cc = text::find_control_character(s); cc) {
        r.error(child(pointer, field),
                "'" + std::string(field) + "' contains the control character " + code_point_name(cc->code_point) +
                    " at character " + std::to_string(cc->character_index + 1),
                text::is_bidi_control(cc->code_point)
                    ? "remove it: bidirectional controls make text display differently from what it says"
                    : "remove it: control characters could change the terminal; use \\n for a new line");
        return std::nullopt;
    }
    return s;
}

std::string check_text(const Json& obj, std::string_view field, const std::string& pointer, FileReporter& r) {
    return optional_text(obj, field, pointer, r).value_or(std::string());
}

bool is_iso_date(std::string_view s) {
    // parse_iso8601 knows month lengths and leap years, so 2024-02-31 is refused.
    return s.size() == 10 && parse_iso8601(s).has_value();
}

bool is_web_address(std::string_view s) {
    std::string_view rest;
    for (std::string_view scheme : {"https://", "http://"})
        if (s.substr(0, scheme.size()) == scheme) rest = s.substr(scheme.size());
    if (rest.empty()) return false;
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    const auto host_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == ':' || c == '[' || c == ']';
    };
    if (host.empty() || host.front() == '.' || host.front() == ':') return false;
    if (!std::all_of(host.begin(), host.end(), host_char)) return false;
    return std::none_of(rest.begin(), rest.end(), [](char c) { return c == ' ' || static_cast<unsigned char>(c) < 0x20; });
}

bool check_identifier(std::string_view value, const std::string& pointer, std::string_view what,
                      std::string_view example, FileReporter& r) {
    if (value.empty() || is_identifier(value)) return true;
    r.error(pointer, std::string(what) + " id '" + text::sanitize(value) + "' may use only a-z, 0-9, '.', '_' and '-'",
            "e.g. \"" + std::string(example) + "\"");
    return false;
}

}  // namespace certdrill::decks
