#pragma once
// What nlohmann/json's exceptions say, put for whoever wrote the file.
#include <cstddef>
#include <string>
#include <string_view>

namespace certdrill::decks {

// Without the library's own tag ("[json.exception.out_of_range.406] "), which means nothing to
// the reader: every message from the library that reaches a user goes through this.
std::string without_library_tag(std::string what);

// Text from the input as it may appear in a message: JSON-quoted with every control and
// non-ASCII character escaped, and cut to `max_bytes` (with "..." inside the quotes), so that no
// input can add lines or escape sequences to the error output.
std::string json_quoted(std::string_view text, std::size_t max_bytes);

// A parse error's message for a reader who is told the position separately: the tag, the
// library's own "parse error at line L, column C" and the raw bytes it last read (which may hold
// control characters) taken out.
std::string clean_parse_message(const std::string& what);

}  // namespace certdrill::decks
