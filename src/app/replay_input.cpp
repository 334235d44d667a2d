#include "app/replay.hpp"

#include <array>
#include <climits>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/replay_parts.hpp"
#include "core/fsrs.hpp"
#include "core/time.hpp"
#include "decks/json_message.hpp"

// Reading a line of replay input into a CardRequest: the fast reader of plain histories and the
// general JSON parser. Replaying and the line loop are in replay.cpp.

namespace certdrill::app {

using detail::CardRequest;
using detail::ReviewEvent;

namespace {

using nlohmann::json;

// A key from the input as it may appear in a message (see decks::json_quoted).
std::string quoted_key(std::string_view key) { return decks::json_quoted(key, 64); }

// A JSON value as the SAX parser reports it, reduced to what the checks below need.
struct Value {
    enum class Kind { Null, Bool, Number, String, Object, Array, Binary };
    explicit Value(Kind k) : kind(k) {}

    Kind kind;
    double number = 0.0;
    std::int64_t integer = 0;  // valid when `integral`
    bool integral = false;     // a JSON integer that fits in int64
    bool flag = false;
    std::string_view text;
};

// Builds a CardRequest from the events of nlohmann's SAX parser, so that no DOM is built per line.
// Any callback returning false stops the parse; error() then says why.
class RequestParser {
public:
    explicit RequestParser(CardRequest& request) : request_(request) {}

    const std::string& error() const { return error_; }

    // ---- SAX interface ----
    bool null() { return on_value(Value(Value::Kind::Null)); }
    bool boolean(bool b) {
        Value v(Value::Kind::Bool);
        v.flag = b;
        return on_value(v);
    }
    bool number_integer(json::number_integer_t n) { return on_integer(n); }
    bool number_unsigned(json::number_unsigned_t n) {
        if (n > static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) {
            Value v(Value::Kind::Number);
            v.number = static_cast<double>(n);
            return on_value(v);
        }
        return on_integer(static_cast<std::int64_t>(n));
    }
    bool number_float(json::number_float_t n, const json::string_t&) {
        Value v(Value::Kind::Number);
        v.number = n;
        return on_value(v);
    }
    bool string(json::string_t& s) {
        Value v(Value::Kind::String);
        v.text = s;
        return on_value(v);
    }
    bool binary(json::binary_t&) { return on_value(Value(Value::Kind::Binary)); }

    bool start_object(std::size_t) {
        if (where_ == Where::Start) {
            where_ = Where::Root;
            return true;
        }
        if (where_ == Where::Reviews) {
            where_ = Where::Review;
            review_ = {};
            return true;
        }
        return on_value(Value(Value::Kind::Object));
    }

    bool end_object() {
        if (where_ == Where::Review) return finish_review();
        where_ = Where::Done;
        return true;
    }

    bool start_array(std::size_t) {
        if (where_ == Where::Root) {
            switch (field_) {
                case Field::Reviews:
                    request_.has_reviews = true;
                    where_ = Where::Reviews;
                    return true;
                case Field::Parameters:
                    request_.has_weights = true;
                    where_ = Where::Weights;
                    return true;
                case Field::LearningSteps:
                    request_.parameters.learning_steps_minutes.clear();
                    where_ = Where::LearningSteps;
                    return true;
                case Field::RelearningSteps:
                    request_.parameters.relearning_steps_minutes.clear();
                    where_ = Where::RelearningSteps;
                    return true;
                default:
                    break;
            }
        }
        return on_value(Value(Value::Kind::Array));
    }

    bool end_array() {
        where_ = Where::Root;
        return true;
    }

    bool key(json::string_t& name) {
        if (where_ == Where::Review) return review_key(name);
        const Field f = field_named(name);
        if (f == Field::None) return fail("unknown field " + quoted_key(name));
        const auto bit = 1U << static_cast<unsigned>(f);
        if (seen_fields_ & bit) return fail("duplicate field " + quoted_key(name));
        seen_fields_ |= bit;
        field_ = f;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        // nlohmann's message starts with an id and "line 1, column N", which only confuses here.
        const std::string untagged = decks::without_library_tag(ex.what());
        std::string_view what = untagged;
        const auto column = what.find("column ");
        const auto detail = what.find(": ", column == std::string_view::npos ? 0 : column);
        if (detail != std::string_view::npos) what.remove_prefix(detail + 2);
        error_ = "invalid JSON at byte " + std::to_string(position) + ": " + std::string(what);
        return false;
    }

private:
    enum class Where { Start, Root, Reviews, Review, Weights, LearningSteps, RelearningSteps, Done };
    enum class Field {
        None,
        Reviews,
        Parameters,
        DesiredRetention,
        LearningSteps,
        RelearningSteps,
        EnableShortTerm,
        MaximumInterval
    };
    struct PendingReview {
        std::optional<UnixMs> at;
        std::optional<fsrs::Rating> rating;
        enum class Key { None, At, Rating } key = Key::None;
    };

    static Field field_named(std::string_view name) {
        static constexpr std::array<std::pair<std::string_view, Field>, 7> kFields = {{
            {"reviews", Field::Reviews},
            {"parameters", Field::Parameters},
            {"desired_retention", Field::DesiredRetention},
            {"learning_steps", Field::LearningSteps},
            {"relearning_steps", Field::RelearningSteps},
            {"enable_short_term", Field::EnableShortTerm},
            {"maximum_interval", Field::MaximumInterval},
        }};
        for (const auto& [n, f] : kFields)
            if (n == name) return f;
        return Field::None;
    }

    bool fail(std::string message) {
        error_ = std::move(message);
        return false;
    }

    std::string review_path() const { return "reviews[" + std::to_string(request_.reviews.size()) + "]"; }

    bool on_integer(std::int64_t n) {
        Value v(Value::Kind::Number);
        v.number = static_cast<double>(n);
        v.integer = n;
        v.integral = true;
        return on_value(v);
    }

    bool on_value(const Value& v) {
        switch (where_) {
            case Where::Start:
                return fail("a line must hold one JSON object");
            case Where::Root:
                return root_value(v);
            case Where::Reviews:
                return fail(review_path() + " must be an object");
            case Where::Review:
                return review_value(v);
            case Where::Weights:
                if (v.kind != Value::Kind::Number)
                    return fail("parameters[" + std::to_string(request_.weights.size()) + "] must be a number");
                request_.weights.push_back(v.number);
                return true;
            case Where::LearningSteps:
                return step_value(v, "learning_steps", request_.parameters.learning_steps_minutes);
            case Where::RelearningSteps:
                return step_value(v, "relearning_steps", request_.parameters.relearning_steps_minutes);
            case Where::Done:
                break;
        }
        return fail("unexpected value after the object");
    }

    bool root_value(const Value& v) {
        auto& p = request_.parameters;
        switch (field_) {
            case Field::DesiredRetention:
                if (v.kind != Value::Kind::Number) return fail("desired_retention must be a number");
                p.desired_retention = v.number;
                return true;
            case Field::EnableShortTerm:
                if (v.kind != Value::Kind::Bool) return fail("enable_short_term must be true or false");
                p.enable_short_term = v.flag;
                return true;
            case Field::MaximumInterval:
                if (!v.integral || v.integer < 1 || v.integer > INT_MAX)
                    return fail("maximum_interval must be a whole number of days, at least 1");
                p.maximum_interval = static_cast<int>(v.integer);
                return true;
            case Field::Reviews:
                return fail("reviews must be an array");
            case Field::Parameters:
                return fail("parameters must be an array of 19 or 21 numbers");
            case Field::LearningSteps:
                return fail("learning_steps must be an array");
            case Field::RelearningSteps:
                return fail("relearning_steps must be an array");
            case Field::None:
                break;
        }
        return fail("value without a field");
    }

    bool step_value(const Value& v, const char* name, std::vector<int>& steps) {
        const std::optional<int> minutes =
            v.kind == Value::Kind::String ? fsrs::parse_step(v.text) : std::optional<int>{};
        if (!minutes)
            return fail(std::string(name) + "[" + std::to_string(steps.size()) +
                        "] must be a step such as \"10m\", \"1h\" or \"2d\", at most " +
                        std::to_string(fsrs::kMaxStepMinutes / 1440) + "d");
        steps.push_back(*minutes);
        return true;
    }

    bool review_key(std::string_view name) {
        using Key = PendingReview::Key;
        const Key k = name == "at" ? Key::At : name == "rating" ? Key::Rating : Key::None;
        if (k == Key::None) return fail(review_path() + ": unknown field " + quoted_key(name));
        if ((k == Key::At && review_.at) || (k == Key::Rating && review_.rating))
            return fail(review_path() + ": duplicate field " + quoted_key(name));
        review_.key = k;
        return true;
    }

    bool review_value(const Value& v) {
        if (review_.key == PendingReview::Key::At) {
            const auto t = v.kind == Value::Kind::String ? parse_iso8601(v.text) : std::nullopt;
            if (!t) return fail(review_path() + ".at must be an ISO 8601 time such as \"2022-12-29T12:30:00Z\"");
            review_.at = *t;
        } else {
            if (!v.integral || v.integer < 1 || v.integer > 4)
                return fail(review_path() + ".rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)");
            review_.rating = static_cast<fsrs::Rating>(v.integer);
        }
        review_.key = PendingReview::Key::None;
        return true;
    }

    bool finish_review() {
        if (!review_.at) return fail(review_path() + ": missing \"at\"");
        if (!review_.rating) return fail(review_path() + ": missing \"rating\"");
        request_.reviews.push_back({*review_.at, *review_.rating});
        where_ = Where::Reviews;
        return true;
    }

    CardRequest& request_;
    std::string error_;
    Where where_ = Where::Start;
    Field field_ = Field::None;
    unsigned seen_fields_ = 0;
    PendingReview review_;
};

// The common line holds nothing but {"reviews": [{"at": "...", "rating": N}, ...]}. Reading that
// shape directly is several times faster than the general JSON parser, which stays in charge of
// everything else: any other field, escapes, odd numbers and every error go back to it, so
// messages and results are the same either way. Returns false to hand the line over.
class PlainHistoryReader {
public:
    explicit PlainHistoryReader(std::string_view line) : s_(line) {}

    bool read(CardRequest& request) {
        std::string_view key;
        if (!expect('{') || !string(key) || key != "reviews" || !expect(':') || !expect('[')) return false;
        request.has_reviews = true;
        if (!expect(']')) {
            do {
                ReviewEvent event{};
                if (!review(event)) return false;
                request.reviews.push_back(event);
            } while (expect(','));
            if (!expect(']')) return false;
        }
        if (!expect('}')) return false;
        skip_space();
        return i_ == s_.size();
    }

private:
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
    }
    bool expect(char c) {
        skip_space();
        if (i_ >= s_.size() || s_[i_] != c) return false;
        ++i_;
        return true;
    }
    // A string without escapes or control characters.
    bool string(std::string_view& out) {
        if (!expect('"')) return false;
        const std::size_t begin = i_;
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] == '\\' || static_cast<unsigned char>(s_[i_]) < 0x20) return false;
            ++i_;
        }
        if (i_ >= s_.size()) return false;
        out = s_.substr(begin, i_ - begin);
        ++i_;
        return true;
    }
    bool review(ReviewEvent& event) {
        if (!expect('{')) return false;
        bool has_at = false, has_rating = false;
        for (int field = 0; field < 2; ++field) {
            std::string_view key;
            if ((field > 0 && !expect(',')) || !string(key) || !expect(':')) return false;
            if (key == "at" && !has_at) {
                std::string_view text;
                if (!string(text)) return false;
                const auto at = parse_iso8601(text);
                if (!at) return false;
                event.at = *at;
                has_at = true;
            } else if (key == "rating" && !has_rating) {
                skip_space();
                // One digit 1-4 and nothing number-like after it ("3.0", "31", "3e0").
                if (i_ >= s_.size() || s_[i_] < '1' || s_[i_] > '4') return false;
                event.rating = static_cast<fsrs::Rating>(s_[i_++] - '0');
                if (i_ < s_.size() && std::string_view("0123456789.eE").find(s_[i_]) != std::string_view::npos)
                    return false;
                has_rating = true;
            } else {
                return false;
            }
        }
        return expect('}');
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace

namespace detail {

bool parse_plain_history(std::string_view line, CardRequest& request) { return PlainHistoryReader(line).read(request); }

std::optional<std::string> parse_general_request(std::string_view line, CardRequest& request) {
    RequestParser parser(request);
    if (!json::sax_parse(line, &parser)) return parser.error();
    return std::nullopt;
}

}  // namespace detail

std::optional<std::string> read_review_history(std::string_view line, std::vector<fsrs::TimedReview>& reviews) {
    CardRequest request;
    if (!detail::parse_plain_history(line, request)) {
        request.reset();
        if (auto error = detail::parse_general_request(line, request)) return error;
    }
    if (!request.has_reviews) return "missing field \"reviews\"";
    reviews.clear();
    for (std::size_t i = 0; i < request.reviews.size(); ++i) {
        if (i > 0 && request.reviews[i].at < request.reviews[i - 1].at)
            return "reviews[" + std::to_string(i) + "].at is earlier than the review before it";
        reviews.push_back({request.reviews[i].at, request.reviews[i].rating});
    }
    return std::nullopt;
}

}  // namespace certdrill::app
