#pragma once
// The content model: exams (blueprints) and cards, as loaded from decks.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certdrill {

struct Objective {
    std::string id;
    std::string name;
    std::vector<Objective> children;  // e.g. CISM part 1A holds topics 1A1..1A3
    bool operator==(const Objective&) const = default;
};

struct Domain {
    std::string id;
    int number = 0;
    std::string name;
    double weight = 0.0;  // percent; 0 when the exam is unweighted
    std::vector<Objective> objectives;
    bool operator==(const Domain&) const = default;
};

// Where a rule of the exam comes from, and whether the vendor's own text confirms it.
struct Provenance {
    std::string source_url;
    std::string checked;  // YYYY-MM-DD
    bool confirmed = false;
    std::string notes;
    bool operator==(const Provenance&) const = default;
};

// How the vendor reports the result: "scaled" (a score on scale_min..scale_max with
// passing_score to pass), "percent" (percent correct against passing_percent) or "adaptive"
// (pass or fail from an ability estimate, with per-domain proficiency when failing).
struct ScoringRule {
    std::string report = "percent";
    bool raw_cut_published = false;  // whether the raw score needed to pass is public
    std::optional<Provenance> source;
    bool operator==(const ScoringRule&) const = default;
};

// How a candidate may move through the items: revisits (ExamFormat::revisit) and, where the
// exam allows skipping a limited number of items to answer at the end, that limit.
struct NavigationRule {
    std::optional<int> skip_limit;
    std::optional<Provenance> source;
    bool operator==(const NavigationRule&) const = default;
};

// The adaptive exam's published rules (without them in the blueprint: no pretest items, and the
// run-out-of-time rule examines the minimum length).
struct AdaptiveRule {
    int pretest_items = 0;
    double confidence_percent = 95.0;
    int time_rule_items = 0;  // scored items examined when time runs out; 0: items_min - pretest
    std::optional<Provenance> source;
    bool operator==(const AdaptiveRule&) const = default;
};

struct ExamFormat {
    int items_min = 0;
    int items_max = 0;
    int minutes = 0;
    std::optional<int> scale_min;
    std::optional<int> scale_max;
    std::optional<int> passing_score;
    double passing_percent = 70.0;
    bool adaptive = false;
    bool revisit = true;
    bool open_book = false;
    std::string notes;
    ScoringRule scoring;
    NavigationRule navigation;
    AdaptiveRule cat;
    bool operator==(const ExamFormat&) const = default;
};

struct Outline {
    std::string version;
    std::string effective;
    std::string retired;  // YYYY-MM-DD from which exams no longer follow it; empty while in force
    std::string source_url;
    std::string checked;
    bool confirmed = false;
    std::string notes;
    bool operator==(const Outline&) const = default;
};

struct Exam {
    std::string id;
    std::string name;
    std::string short_name;
    std::string vendor;
    Outline outline;
    ExamFormat format;
    bool weighted = true;
    std::vector<Domain> domains;
    std::string file;

    const Domain* domain(std::string_view domain_id) const;
    // Weight used for blueprint proportions: the official weight, or an equal share when the
    // exam publishes none.
    double effective_weight(const Domain& d) const;
    // Every objective id, parts and their topics alike.
    std::vector<const Objective*> all_objectives() const;
    // Objectives without children: the ones questions must cover.
    std::vector<const Objective*> leaf_objectives() const;
    bool operator==(const Exam&) const = default;
};

enum class CardType { Single, Multi, Flashcard };
const char* to_string(CardType t);

// What a question asks of the candidate: to remember a fact, to apply one to a case, or to judge
// between actions a practitioner could defend. Unknown when a deck does not say.
enum class Skill { Unknown, Recall, Application, Judgement };
const char* to_string(Skill s);
std::optional<Skill> parse_skill(std::string_view name);

struct Option {
    std::string text;
    std::string reason;  // why it is wrong (or extra explanation for a right option)
    bool correct = false;
    bool operator==(const Option&) const = default;
};

struct Card {
    std::string id;
    CardType type = CardType::Single;
    std::string exam_id;
    std::string domain_id;
    std::string deck_id;
    std::vector<std::string> topics;
    int difficulty = 0;  // 1-3, 0 when not given
    Skill skill = Skill::Unknown;  // questions only
    std::vector<std::string> references;
    // Questions
    std::string stem;
    std::vector<Option> options;
    int choose = 1;
    std::string explanation;
    // Flashcards
    std::string front;
    std::string back;
    // Where the card was defined, for messages.
    std::string file;
    int line = 0;
    int column = 0;

    bool is_question() const { return type != CardType::Flashcard; }
    int correct_count() const;
    bool operator==(const Card&) const = default;
};

struct DeckInfo {
    std::string id;
    std::string title;
    std::string exam_id;
    std::string author;
    std::string version;
    std::string license;
    std::string description;
    std::string file;
    std::size_t card_count = 0;
    bool operator==(const DeckInfo&) const = default;
};

// Everything loaded from the deck directories.
struct Library {
    std::vector<Exam> exams;
    std::vector<DeckInfo> decks;
    std::vector<Card> cards;

    const Exam* exam(std::string_view id) const;
    const Card* card(std::string_view id) const;
    std::vector<const Card*> cards_of(std::string_view exam_id) const;
    bool operator==(const Library&) const = default;
};

}  // namespace certdrill
