#pragma once
// What a JSON parser's exception says, put for whoever wrote the file: without the library's own
// tag ("[json.exception.parse_error.101]") and without the raw bytes it last read, which may hold
// control characters. Shared by every reader of JSON input beside the deck loader.
#include <string>

namespace certdrill::decks {

std::string clean_parse_message(const std::string& what);

}  // namespace certdrill::decks
