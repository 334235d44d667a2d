#pragma once
// Building blocks for validating JSON objects field by field. Internal to the decks layer.
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decks/card_rules.hpp"
#include "decks/diagnostic.hpp"
#include "decks/json_document.hpp"

namespace certdrill::decks {

enum class JsonType { String, Integer, Number, Bool, Array, Object, Any };

struct FieldSpec {
    std::string_view name;
    JsonType type;
    bool required;
};

// Reports problems in one file, tagging them with the card being checked.
class FileReporter {
public:
    FileReporter(std::string file, const JsonDocument& doc, Diagnostics& out, bool silent = false)
        : file_(std::move(file)), doc_(doc), out_(out), silent_(silent) {}

    void error(const std::string& pointer, std::string message, std::string hint = {});
    void warning(const std::string& pointer, std::string message, std::string hint = {});
    void file_error(std::string message, std::string hint = {});

    void set_card(std::string id) { card_id_ = std::move(id); }
    const std::string& file() const { return file_; }
    const JsonDocument& doc() const { return doc_; }
    int errors() const { return errors_; }
    int warnings() const { return warnings_; }
    int line_of(const std::string& pointer) const { return doc_.position_of(pointer).line; }

private:
    void add(Severity s, const std::string& pointer, std::string message, std::string hint);
    std::string file_;
    const JsonDocument& doc_;
    Diagnostics& out_;
    bool silent_;
    std::string card_id_;
    int errors_ = 0;
    int warnings_ = 0;
};

const char* type_name(JsonType t);
bool has_type(const Json& v, JsonType t);
std::string describe(const Json& v);  // "a number", "an array", ...

// Checks required fields, unknown fields (with "did you mean") and types. `elsewhere` lists
// fields that are valid in a sibling shape (e.g. `options` on a flashcard) to give a better
// message than "unknown". Returns false when any field was wrong.
bool check_fields(const Json& obj, const std::string& pointer, std::span<const FieldSpec> specs, FileReporter& r,
                  std::string_view what, const std::vector<std::string_view>& elsewhere = {},
                  std::string_view elsewhere_owner = {});
inline bool check_fields(const Json& obj, const std::string& pointer, std::initializer_list<FieldSpec> specs,
                         FileReporter& r, std::string_view what, const std::vector<std::string_view>& elsewhere = {},
                         std::string_view elsewhere_owner = {}) {
    return check_fields(obj, pointer, std::span<const FieldSpec>(specs.begin(), specs.size()), r, what, elsewhere,
                        elsewhere_owner);
}

// The closest candidate within a small edit distance, for "did you mean" hints.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Non-empty text without control characters. Returns the text (empty when wrong).
std::string check_text(const Json& obj, std::string_view field, const std::string& pointer, FileReporter& r);

std::optional<std::string> optional_text(const Json& obj, std::string_view field, const std::string& pointer,
                                         FileReporter& r);

// A boolean field's value, or `fallback` when it is missing or not a boolean (the wrong type is
// reported by check_fields).
bool bool_or(const Json& obj, std::string_view field, bool fallback);

std::string child(const std::string& pointer, std::string_view field);
std::string child(const std::string& pointer, std::size_t index);

bool is_iso_date(std::string_view s);  // YYYY-MM-DD, a day that exists
// http:// or https:// followed by a host name (no spaces or control characters anywhere).
bool is_web_address(std::string_view s);
// Reports an id that is not an identifier, e.g. "deck id 'X' may use only ..."; returns validity.
bool check_identifier(std::string_view value, const std::string& pointer, std::string_view what,
                      std::string_view example, FileReporter& r);

}  // namespace certdrill::decks
