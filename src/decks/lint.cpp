#include "decks/lint.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/text.hpp"

namespace certdrill::decks {

namespace {

constexpr std::string_view kLetters = "ABCDEFGH";

struct Word {
    std::string text;  // as written
    std::string lower;
    bool emphasised = false;  // inside *...*
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || (c & 0x80); }

// Words of a text, each noting whether it sits inside *emphasis* marks.
std::vector<Word> words_of(std::string_view s) {
    std::vector<Word> out;
    bool emphasis = false;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '*') emphasis = !emphasis;
        if (!word_char(s[i])) {
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < s.size() && word_char(s[i])) ++i;
        std::string w(s.substr(start, i - start));
        out.push_back({w, text::lower(w), emphasis});
    }
    return out;
}

bool all_caps(std::string_view w) {
    return std::none_of(w.begin(), w.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }) &&
           std::any_of(w.begin(), w.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

// The sentence that asks: from the end of the sentence before the last '?' to that '?'; the last
// sentence when the stem asks nothing.
std::string_view question_part(std::string_view stem) {
    std::size_t end = stem.rfind('?');
    if (end == std::string_view::npos) end = stem.size();
    std::size_t start = stem.find_last_of(".!\n", end == 0 ? 0 : end - 1);
    // A full stop inside an abbreviation ("e.g.") is not worth more care for a warning.
    start = start == std::string_view::npos ? 0 : start + 1;
    return stem.substr(start, end - start);
}

const std::set<std::string> kStopWords = {
    "the",   "and",   "that",  "this",  "with",  "which", "what",  "from",  "have",  "should", "would", "their",
    "there", "they",  "when",  "where", "will",  "been",  "into",  "following", "about", "after", "before",
    "than",  "then",  "them",  "these", "those", "does",  "most",  "best",  "first", "least", "could", "being",
    "other", "only",  "each",  "some",  "such",  "your",  "more",  "must",  "over",  "under", "also", "make",
    "choose", "three"};

// Content words, lower case, a plural 's' dropped, so "controls" matches "control".
std::set<std::string> content_words(std::string_view s) {
    std::set<std::string> out;
    for (auto& w : words_of(s)) {
        if (w.lower.size() < 4 || kStopWords.count(w.lower)) continue;
        std::string stem = w.lower;
        if (stem.size() > 4 && stem.back() == 's' && stem[stem.size() - 2] != 's') stem.pop_back();
        out.insert(stem);
    }
    return out;
}

std::string option_pointer(const std::string& cp, std::size_t i) { return child(child(child(cp, "options"), i), "text"); }
std::string letter(std::size_t i) { return std::string(1, kLetters[std::min<std::size_t>(i, 7)]); }

void check_option_count(const Card& card, const std::string& cp, FileReporter& r) {
    if (card.type != CardType::Single || card.options.size() >= 4) return;
    r.warning(child(cp, "options"),
              "lint few-options: the question has " + std::to_string(card.options.size()) +
                  " options, so a blind guess is right " + std::to_string(100 / card.options.size()) +
                  "% of the time; the exams use four",
              "add a distractor that a practitioner could defend");
}

void check_long_key(const Card& card, const std::string& cp, FileReporter& r) {
    if (card.type != CardType::Single) return;
    int key = 0, longest = 0, total = 0, n = 0;
    std::size_t key_index = 0;
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        int width = text::display_width(card.options[i].text);
        if (card.options[i].correct) {
            key = width;
            key_index = i;
        } else {
            longest = std::max(longest, width);
            total += width;
            ++n;
        }
    }
    if (n == 0 || key <= longest || key < 10) return;
    const double mean = static_cast<double>(total) / n;
    if (key < 1.5 * mean || key - longest < 10) return;
    r.warning(option_pointer(cp, key_index),
              "lint long-key: the right option (" + std::to_string(key) +
                  " characters) is much longer than every other option (the longest has " + std::to_string(longest) +
                  "): test-wise candidates pick the longest option",
              "trim the key, or give the distractors the same detail");
}

void check_of_the_above(const Card& card, const std::string& cp, FileReporter& r) {
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        const std::string lower = text::lower(card.options[i].text);
        for (const char* phrase : {"all of the above", "none of the above", "all of these", "none of these"})
            if (lower.find(phrase) != std::string::npos) {
                r.warning(option_pointer(cp, i),
                          "lint of-the-above: option " + letter(i) + " says \"" + phrase +
                              "\": options are shuffled, and it can be answered by spotting two right options",
                          "replace it with a distractor of its own");
                break;
            }
    }
}

void check_negative_stem(const Card& card, const std::string& cp, FileReporter& r) {
    for (const auto& w : words_of(question_part(card.stem))) {
        if (w.lower != "not" && w.lower != "except" && w.lower != "least") continue;
        if (all_caps(w.text) || w.emphasised) continue;
        std::string upper = w.text;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        r.warning(child(cp, "stem"),
                  "lint negative-stem: the question asks with \"" + w.text +
                      "\" without emphasis, and candidates read past it",
                  "write " + upper + " in capitals, or ask the question positively");
        return;
    }
}

void check_key_echo(const Card& card, const std::string& cp, FileReporter& r) {
    const auto stem_words = content_words(card.stem);
    std::set<std::string> key_echo;
    std::size_t key_index = 0;
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        const auto words = content_words(card.options[i].text);
        std::vector<std::string> shared;
        std::set_intersection(words.begin(), words.end(), stem_words.begin(), stem_words.end(),
                              std::back_inserter(shared));
        if (!card.options[i].correct && !shared.empty()) return;  // a distractor echoes the stem too
        if (card.options[i].correct && !shared.empty()) {
            key_echo.insert(shared.begin(), shared.end());
            key_index = i;
        }
    }
    if (key_echo.empty()) return;
    std::string list;
    for (const auto& w : key_echo) list += (list.empty() ? "\"" : ", \"") + w + "\"";
    r.warning(option_pointer(cp, key_index),
              "lint key-echoes-stem: only the right option repeats the stem's words (" + list +
                  "), which points to it without knowledge",
              "reword the key, or let a distractor use the same words");
}

const std::set<std::string> kAbsolutes = {"all", "every", "only", "never", "always", "immediately", "none"};

std::set<std::string> absolutes_in(std::string_view s) {
    std::set<std::string> out;
    for (const auto& w : words_of(s))
        if (kAbsolutes.count(w.lower)) out.insert(w.lower);
    return out;
}

void check_absolutes(const Card& card, const std::string& cp, FileReporter& r) {
    std::set<std::string> in_distractors;
    std::string letters;
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        auto found = absolutes_in(card.options[i].text);
        if (card.options[i].correct) {
            if (!found.empty()) return;  // the key uses one too: no cue
            continue;
        }
        if (found.empty()) continue;
        in_distractors.insert(found.begin(), found.end());
        letters += letter(i);
    }
    if (in_distractors.empty()) return;
    std::string list;
    for (const auto& w : in_distractors) list += (list.empty() ? "\"" : ", \"") + w + "\"";
    r.warning(child(cp, "options"),
              "lint absolute-words: absolute words (" + list + ") appear in distractor" +
                  (letters.size() > 1 ? "s " : " ") + letters +
                  " but never in the right answer, so test-wise candidates rule those out",
              "use absolute words in a right answer too, or qualify the distractors");
}

// Options with the same words in any order, ignoring case, punctuation and articles.
void check_near_identical_options(const Card& card, const std::string& cp, FileReporter& r) {
    std::map<std::multiset<std::string>, std::size_t> seen;
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        std::multiset<std::string> key;
        for (auto& w : words_of(card.options[i].text))
            if (w.lower != "a" && w.lower != "an" && w.lower != "the") key.insert(w.lower);
        if (key.empty()) continue;
        auto [it, inserted] = seen.emplace(key, i);
        if (inserted) continue;
        r.warning(option_pointer(cp, i),
                  "lint duplicate-options: option " + letter(i) + " has the same words as option " +
                      letter(it->second),
                  "make each option a different answer");
    }
}

const std::set<std::string> kQualifiers = {"best", "first", "most", "primary", "next", "main", "greatest"};

void check_qualifiers(const Card& card, const std::string& cp, FileReporter& r, QualifierStyles& styles) {
    bool warned = false;
    for (const auto& w : words_of(question_part(card.stem))) {
        if (!kQualifiers.count(w.lower)) continue;
        if (all_caps(w.text)) {
            styles.uses.push_back({card.id, child(cp, "stem"), w.emphasised ? "*" + w.text + "*" : w.text,
                                   w.emphasised});
            continue;
        }
        if (warned) continue;
        warned = true;
        std::string upper = w.text;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        r.warning(child(cp, "stem"),
                  "lint qualifier-style: the qualifier \"" + w.text + "\" is in lower case, and candidates miss it",
                  "write " + upper + " in capitals, as the exams do");
    }
}

}  // namespace

void lint_card(const Card& card, const std::string& pointer, FileReporter& r, QualifierStyles& styles) {
    if (!card.is_question()) return;
    check_option_count(card, pointer, r);
    check_long_key(card, pointer, r);
    check_of_the_above(card, pointer, r);
    check_negative_stem(card, pointer, r);
    check_key_echo(card, pointer, r);
    check_absolutes(card, pointer, r);
    check_near_identical_options(card, pointer, r);
    check_qualifiers(card, pointer, r, styles);
}

void lint_qualifier_styles(const QualifierStyles& styles, FileReporter& r) {
    std::size_t emphasised = 0;
    for (const auto& u : styles.uses) emphasised += u.emphasised;
    const std::size_t plain = styles.uses.size() - emphasised;
    if (emphasised == 0 || plain == 0) return;
    // The more common style is the deck's; each use of the other is reported once per card.
    const bool deck_emphasises = emphasised > plain;
    std::set<std::string> reported;
    for (const auto& u : styles.uses) {
        if (u.emphasised == deck_emphasises || !reported.insert(u.card_id).second) continue;
        r.set_card(u.card_id);
        r.warning(u.pointer,
                  "lint qualifier-style: " + u.word + " is written " +
                      (u.emphasised ? "with emphasis marks" : "in capitals alone") + ", but most of this deck writes " +
                      (deck_emphasises ? "*" : "") + "MOST" + (deck_emphasises ? "*" : "") + " " +
                      (deck_emphasises ? "with emphasis marks" : "in capitals alone"),
                  "write qualifiers one way throughout the deck");
    }
    r.set_card({});
}

}  // namespace certdrill::decks
