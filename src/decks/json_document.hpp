#pragma once
// A parsed JSON file that remembers where each value came from, so that diagnostics can name
// a line and column. Internal to the decks layer (nlohmann/json stays here).
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace certdrill::decks {

using Json = nlohmann::ordered_json;  // keeps file order, so diagnostics come in file order

struct TextPosition {
    int line = 1;
    int column = 1;
};

struct JsonProblem {
    std::size_t offset = 0;
    std::string pointer;
    std::string message;
    std::string hint;
};

class JsonDocument {
public:
    // Never throws: syntax problems are reported through syntax_error().
    static JsonDocument parse(std::string text);
    JsonDocument() = default;
    JsonDocument(JsonDocument&&) noexcept = default;
    JsonDocument& operator=(JsonDocument&&) noexcept = default;

    bool ok() const { return !syntax_error_; }
    const std::optional<JsonProblem>& syntax_error() const { return syntax_error_; }
    const std::vector<JsonProblem>& duplicate_keys() const { return duplicate_keys_; }
    const Json& root() const { return root_; }

    // Position of the value at `pointer` (of its key, for object members); the nearest recorded
    // ancestor when the pointer itself was not recorded.
    TextPosition position_of(std::string_view pointer) const;
    TextPosition position_at(std::size_t offset) const;

    // Deepest level whose positions are known: enough for /cards/17/options/2/text. Those down
    // to kEagerDepth (/cards/17) are recorded while parsing; deeper ones, asked for only by
    // diagnostics, by a second pass over the text when first asked for.
    static constexpr int kPositionDepth = 6;
    static constexpr int kEagerDepth = 3;
    // Decks never nest deeply; refusing deeper input keeps memory and time bounded.
    static constexpr int kMaxDepth = 64;

private:
    friend class PositionRecorder;
    static JsonDocument parse(std::string text, int position_depth);
    using Offsets = std::unordered_map<std::string, std::size_t>;
    const Offsets& deep_offsets() const;

    std::string text_;
    Json root_;
    std::optional<JsonProblem> syntax_error_;
    std::vector<JsonProblem> duplicate_keys_;
    int position_depth_ = kEagerDepth;
    Offsets offsets_;
    // Positions down to kPositionDepth, worked out on first use (only diagnostics need them).
    mutable std::unique_ptr<Offsets> deep_offsets_;
    std::vector<std::size_t> line_starts_;
    // Code points before every 4 KiB boundary, so a column on a very long line is found without
    // rescanning the line from its start.
    std::vector<std::size_t> code_point_checkpoints_;
    std::size_t code_points_before(std::size_t offset) const;
};

// Escapes a key for use in a JSON pointer (RFC 6901).
std::string pointer_escape(std::string_view key);

}  // namespace certdrill::decks
