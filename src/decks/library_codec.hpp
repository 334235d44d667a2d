#pragma once
// The binary form of a LoadResult (library, diagnostics and file summaries) kept in the library
// cache. decode_load_result(encode_load_result(x)) == x for every LoadResult the loader makes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "decks/loader.hpp"

namespace certdrill::decks {

// Bump whenever the encoding changes, including when a field is added to or removed from a
// struct it writes (core/model.hpp's Exam, Card, DeckInfo and their parts; Diagnostic;
// FileSummary): a cache written in another format is then never read. library_codec.cpp checks
// the structs' sizes at compile time so that a new field is noticed there.
constexpr std::uint32_t kLibraryCodecVersion = 1;

class ByteWriter;

void encode_load_result(const LoadResult& result, ByteWriter& out);
std::string encode_load_result(const LoadResult& result);

// Nothing when the bytes are not exactly one encoded LoadResult (truncated, trailing bytes,
// a value out of range). Never reads outside `bytes`.
std::optional<LoadResult> decode_load_result(std::string_view bytes);

}  // namespace certdrill::decks
