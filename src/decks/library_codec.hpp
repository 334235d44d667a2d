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

// What a decoded library keeps of each card's texts: all of them, or none (the stem, the
// explanation, the options' texts and reasons, front, back and references left empty) for a
// command that never shows or checks a card's text, e.g. `stats`: at 50,000 cards the texts are
// more than half of the library's memory. The encoding is the same either way.
enum class CardTexts { Kept, LeftOut };

void encode_load_result(const LoadResult& result, ByteWriter& out);
std::string encode_load_result(const LoadResult& result);

// Nothing when the bytes are not exactly one encoded LoadResult (truncated, trailing bytes,
// a value out of range). Never reads outside `bytes`.
std::optional<LoadResult> decode_load_result(std::string_view bytes, CardTexts texts = CardTexts::Kept);
// Empties the texts CardTexts::LeftOut leaves out, of one card and of every card of a library.
void leave_out_texts(Card& card);
void leave_out_card_texts(Library& library);

}  // namespace certdrill::decks
