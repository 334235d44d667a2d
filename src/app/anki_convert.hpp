#pragma once
// Between Anki notes and certdrill flashcards: Basic notes become one flashcard, Basic-and-
// reversed notes two (front to back, back to front); cloze and other note types are reported
// and skipped. Anki fields are HTML: imports keep the text (line breaks kept, tags, media and
// control sequences removed), exports write escaped text with <br> line breaks.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "store/anki_package.hpp"

namespace certdrill::app {

// Text of an Anki field: tags and [sound:] references removed, entities decoded, untrusted
// characters stripped.
std::string text_from_anki_html(std::string_view html);
// Escaped HTML of a card text, inline marks removed, line breaks as <br>.
std::string anki_html_from_text(std::string_view text);

struct AnkiImport {
    std::vector<Card> cards;
    std::map<std::string, int> skipped;  // reason (e.g. "cloze note type 'Cloze'") -> notes
    int default_domain_cards = 0;        // cards put in the fallback domain (no domain tag)
};

// A note tagged with a domain id of the exam goes to that domain, else to `fallback_domain`;
// tags that are objective ids of the exam become topics. Card ids are `<deck>.n<note id>`, and
// `.r` is appended for the reversed card, so importing the same notes again gives the same ids.
AnkiImport cards_from_anki(const std::vector<store::AnkiNote>& notes, const Exam& exam, const std::string& deck_id,
                           const std::string& fallback_domain);

// One Basic note per flashcard, tagged with its domain and topics; the guid is derived from
// the card id, so a second export updates the notes in Anki instead of duplicating them.
std::vector<store::AnkiExportNote> anki_notes_from(const std::vector<const Card*>& flashcards);

}  // namespace certdrill::app
