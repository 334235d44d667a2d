#include "app/deck_selection.hpp"

#include <algorithm>
#include <set>

#include "app/errors.hpp"

namespace certdrill::app {

Library restrict_to_decks(const Library& library, const std::vector<std::string>& deck_ids,
                          const std::optional<std::string>& exam, IdSource exam_source) {
    std::set<std::string> wanted(deck_ids.begin(), deck_ids.end());
    std::set<std::string> exams;
    std::string unknown;
    for (const auto& id : wanted) {
        auto it = std::find_if(library.decks.begin(), library.decks.end(), [&](const DeckInfo& d) { return d.id == id; });
        if (it == library.decks.end())
            unknown += (unknown.empty() ? "'" : ", '") + id + "'";
        else
            exams.insert(it->exam_id);
    }
    if (!unknown.empty()) {
        std::string error = "no deck " + unknown + " is loaded; decks:";
        for (const auto& d : library.decks) error += " " + d.id;
        throw usage_error(error, "pass --decks DIR for the directory that holds your deck");
    }
    if (exam) {
        const Exam& named = require_exam(library, *exam, exam_source);  // known at all?
        if (!exams.count(named.id)) {
            std::string theirs;
            for (const Exam& e : library.exams)
                if (exams.count(e.id)) theirs += (theirs.empty() ? "" : ", ") + e.short_name;
            throw usage_error("the decks given to --deck are decks of " + theirs + ", not of " + named.short_name +
                                  " (named by " + std::string(exam_source.name) + ")",
                              "give --deck decks of " + named.short_name + ", or name " + theirs + " there instead");
        }
    }
    Library out;
    for (const auto& e : library.exams)
        if (exams.count(e.id)) out.exams.push_back(e);
    for (const auto& d : library.decks)
        if (wanted.count(d.id)) out.decks.push_back(d);
    for (const auto& c : library.cards)
        if (wanted.count(c.deck_id)) out.cards.push_back(c);
    return out;
}

namespace {

const Objective* first_leaf(const std::vector<Objective>& objectives) {
    for (const auto& o : objectives) {
        if (o.children.empty()) return &o;
        if (const Objective* leaf = first_leaf(o.children)) return leaf;
    }
    return nullptr;
}

Option option(std::string text, std::string reason = {}) { return Option{std::move(text), std::move(reason), false}; }

}  // namespace

StarterDeck starter_deck(const Exam& exam, const std::string& deck_id) {
    StarterDeck deck;
    deck.info.id = deck_id;
    deck.info.title = exam.short_name + ": " + deck_id;
    deck.info.exam_id = exam.id;
    deck.info.author = "your name";
    deck.info.version = "0.1.0";
    deck.info.license = "CC-BY-4.0";
    deck.info.description =
        "A starter deck: replace these three cards with your own, then run 'certdrill validate --lint' on this file.";

    const Domain& domain = exam.domains.front();
    std::vector<std::string> topics;
    if (const Objective* leaf = first_leaf(domain.objectives)) topics.push_back(leaf->id);
    topics.push_back("scenario");

    Card single;
    single.id = deck_id + ".q0001";
    single.type = CardType::Single;
    single.exam_id = exam.id;
    single.domain_id = domain.id;
    single.topics = topics;
    single.difficulty = 2;
    single.stem =
        "A deck author changes the wording of a published question to fix a typo. What should the author do "
        "*FIRST* to keep every learner's progress on that question?";
    single.options = {
        option("Keep the card's id unchanged", "This is the answer: progress is stored by the id, never by the text."),
        option("Give the card a new id so that the change is visible",
               "A new id starts the card afresh for everyone and loses their history."),
        option("Move the card into a new deck file", "Progress follows the id, so moving the card changes nothing."),
        option("Raise the deck's version number before editing",
               "The version is for readers of the deck; it does not carry progress.")};
    single.options[0].correct = true;
    single.explanation =
        "The 'id' is a card's identity: keep it for ever, and fix typos freely. 'answer' holds the letter of "
        "the right option in file order; options are shuffled on screen. Give every wrong option a 'reason'.";
    single.references = {"docs/deck-format.md"};

    Card multi;
    multi.id = deck_id + ".q0002";
    multi.type = CardType::Multi;
    multi.exam_id = exam.id;
    multi.domain_id = domain.id;
    multi.topics = topics;
    multi.difficulty = 1;
    multi.choose = 2;
    multi.stem = "Which TWO fields must a multiple-response question have beyond those of a single-choice one? "
                 "(Choose two.)";
    multi.options = {option("\"choose\", the number of right options"),
                     option("\"answer\" as a list of letters, as many as \"choose\" says"),
                     option("\"front\" and \"back\"", "Those belong to flashcards."),
                     option("\"difficulty\"", "Difficulty is optional on every card.")};
    multi.options[0].correct = multi.options[1].correct = true;
    multi.explanation = "A multi card names how many options to pick in 'choose' and lists exactly that many "
                        "letters in 'answer'; the stem states the count too.";

    Card flashcard;
    flashcard.id = deck_id + ".f0001";
    flashcard.type = CardType::Flashcard;
    flashcard.exam_id = exam.id;
    flashcard.domain_id = domain.id;
    flashcard.topics = {topics.front()};
    flashcard.front = "Flashcard";
    flashcard.back = "A 'front' (a term or a question) and a 'back' (its definition or answer). Use flashcards "
                     "for recall, and questions for judgement.";

    deck.cards = {single, multi, flashcard};
    for (auto& c : deck.cards) c.deck_id = deck_id;
    return deck;
}

}  // namespace certdrill::app
