#include <algorithm>
#include <span>

#include "core/text.hpp"
#include "decks/lint.hpp"
#include "decks/readers.hpp"

namespace certdrill::decks {

namespace {

constexpr std::string_view kLetters = kAnswerLetters;

std::string letter_range(std::size_t options) {
    if (options == 0) return "none";
    return std::string("A-") + kLetters[std::min<std::size_t>(options, kLetters.size()) - 1];
}

std::vector<std::string> names_of(const std::vector<const Objective*>& objectives) {
    std::vector<std::string> out;
    for (const auto* o : objectives) out.push_back(o->id);
    return out;
}

std::vector<std::string> string_list(const Json& card, std::string_view field, const std::string& cp, FileReporter& r,
                                     bool unique) {
    std::vector<std::string> out;
    auto it = card.find(std::string(field));
    if (it == card.end() || !it->is_array()) return out;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const Json& v = (*it)[i];
        const auto ip = [&] { return child(child(cp, field), i); };
        if (!v.is_string()) {
            r.error(ip(), "each entry of '" + std::string(field) + "' must be a string, not " + describe(v));
            continue;
        }
        const std::string& value = v.get_ref<const std::string&>();
        if (value.find_first_not_of(' ') == std::string::npos) {
            r.error(ip(), "empty entry in '" + std::string(field) + "'", "remove it");
            continue;
        }
        if (auto cc = text::find_control_character(value)) {
            r.error(ip(), "entry contains a control character", "remove it");
            continue;
        }
        if (unique && std::find(out.begin(), out.end(), value) != out.end()) {
            r.error(ip(), "'" + text::sanitize(value) + "' is listed twice in '" + std::string(field) + "'",
                    "remove the repeat");
            continue;
        }
        out.push_back(value);
    }
    return out;
}

void read_topics(const Json& j, const std::string& cp, FileReporter& r, const Exam* exam, Card& card) {
    card.topics = string_list(j, "topics", cp, r, true);
    if (!exam) return;
    for (std::size_t i = 0; i < card.topics.size(); ++i) {
        const std::string& t = card.topics[i];
        const std::string tp = child(child(cp, "topics"), i);
        const Domain* owner = domain_of_objective(*exam, t);
        if (owner && owner->id != card.domain_id && !card.domain_id.empty())
            r.warning(tp,
                      "objective '" + t + "' belongs to domain " + owner->id + ", but the card is in " + card.domain_id,
                      "move the card to " + owner->id + " or tag an objective of " + card.domain_id);
        else if (!owner && looks_like_objective(t)) {
            const auto objectives = names_of(exam->all_objectives());
            r.error(tp, "'" + text::sanitize(t) + "' is not an objective of exam " + exam->id,
                    did_you_mean(t, objectives).empty() ? "use an objective id from the blueprint, or a word tag"
                                                        : did_you_mean(t, objectives));
        }
    }
}

void read_options(const Json& j, const std::string& cp, FileReporter& r, Card& card) {
    auto it = j.find("options");
    if (it == j.end() || !it->is_array()) return;
    std::string op = child(cp, "options");
    const auto [lo, hi] = option_count_range(card.type);
    if (it->size() < lo || it->size() > hi)
        r.error(op,
                "a " + std::string(to_string(card.type)) + " question needs " + std::to_string(lo) + " to " +
                    std::to_string(hi) + " options, this one has " + std::to_string(it->size()),
                it->size() < lo ? "add options" : "remove options");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const Json& o = (*it)[i];
        const std::string ip = child(op, i);
        Option option;
        if (o.is_string()) {
            r.error(ip, "an option must be an object, not a string", "write {\"text\": \"...\", \"reason\": \"...\"}");
        } else if (!o.is_object()) {
            r.error(ip, "an option must be an object, not " + describe(o),
                    "write {\"text\": \"...\", \"reason\": \"...\"}");
        } else {
            check_fields(o, ip, {{"text", JsonType::String, true}, {"reason", JsonType::String, false}}, r,
                         "an option");
            option.text = check_text(o, "text", ip, r);
            option.reason = optional_text(o, "reason", ip, r).value_or("");
            const auto repeats = [&](const Option& earlier) {
                return !earlier.text.empty() && same_option_text(earlier.text, option.text);
            };
            if (!option.text.empty() && std::any_of(card.options.begin(), card.options.end(), repeats))
                r.error(child(ip, "text"),
                        "option " + std::string(1, kLetters[std::min<std::size_t>(i, 7)]) + " repeats an earlier option",
                        "make each option different");
        }
        card.options.push_back(std::move(option));
    }
}

// Parses "B" into an index; reports problems against `pointer`.
std::optional<std::size_t> read_letter(const Json& v, const std::string& pointer, std::size_t options,
                                       FileReporter& r) {
    if (!v.is_string()) {
        r.error(pointer, "an answer must be a letter such as \"B\", not " + describe(v),
                v.is_number_integer() ? "letters count from A for the first option" : "");
        return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() == 1 && s[0] >= 'a' && s[0] <= 'h') {
        r.error(pointer, "answer \"" + s + "\" must be an upper-case letter",
                "write \"" + std::string(1, char(s[0] - 32)) + "\"");
        return std::nullopt;
    }
    const std::optional<std::size_t> index = answer_index(s, options);
    if (!index) {
        r.error(pointer,
                "answer \"" + text::sanitize(s) + "\" is out of range: the card has " + std::to_string(options) +
                    " options (" + letter_range(options) + ")",
                options == 0 ? "add options first"
                             : "use a letter from A to " +
                                   std::string(1, kLetters[std::min<std::size_t>(options, kLetters.size()) - 1]));
        return std::nullopt;
    }
    return index;
}

void read_answer(const Json& j, const std::string& cp, FileReporter& r, Card& card) {
    auto it = j.find("answer");
    if (it == j.end() || !j.contains("options") || !j["options"].is_array()) return;
    std::string ap = child(cp, "answer");
    std::vector<std::size_t> chosen;
    if (card.type == CardType::Single) {
        if (it->is_array()) {
            r.error(ap, "a single question has one answer, not a list",
                    "write \"answer\": \"B\", or make the card \"multi\"");
            return;
        }
        if (auto idx = read_letter(*it, ap, card.options.size(), r)) chosen.push_back(*idx);
    } else {
        if (!it->is_array()) {
            r.error(ap, "a multi question's answer must be a list of letters, not " + describe(*it),
                    "write \"answer\": [\"A\", \"C\"]");
            return;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            auto idx = read_letter((*it)[i], child(ap, i), card.options.size(), r);
            if (!idx) continue;
            if (std::find(chosen.begin(), chosen.end(), *idx) != chosen.end()) {
                r.error(child(ap, i), std::string("answer \"") + kLetters[*idx] + "\" is listed twice",
                        "remove the repeat");
                continue;
            }
            chosen.push_back(*idx);
        }
        if (static_cast<int>(it->size()) != card.choose && card.choose > 0)
            r.error(ap,
                    "the card says choose " + std::to_string(card.choose) + " but lists " + std::to_string(it->size()) +
                        " answers",
                    "make \"choose\" and the number of answers agree");
    }
    for (std::size_t idx : chosen)
        if (idx < card.options.size()) card.options[idx].correct = true;
}

void read_choose(const Json& j, const std::string& cp, FileReporter& r, Card& card) {
    // Until a valid count is read the card's count is unknown (0), so the answer's check does not
    // follow an error about 'choose' with a second one quoting a count the card never gave.
    card.choose = 0;
    auto it = j.find("choose");
    if (it == j.end() || !it->is_number_integer()) return;
    long long n = it->get<long long>();
    long long max = card.options.empty() ? 7 : static_cast<long long>(card.options.size()) - 1;
    if (n < 2 || n > max) {
        r.error(child(cp, "choose"),
                "'choose' must be from 2 to " + std::to_string(max) + " (one less than the options)",
                n < 2 ? "a question with one answer is \"single\"" : "add options or lower the count");
        return;
    }
    card.choose = static_cast<int>(n);
}

void check_question_warnings(const Json& j, const std::string& cp, FileReporter& r, const Card& card) {
    if (!j.contains("explanation"))
        r.warning(cp, "question has no explanation", "add \"explanation\": why the right answer is right");
    for (std::size_t i = 0; i < card.options.size(); ++i) {
        const Option& o = card.options[i];
        if (!o.correct && o.reason.empty() && !o.text.empty())
            r.warning(child(child(cp, "options"), i),
                      std::string("wrong option ") + kLetters[std::min<std::size_t>(i, 7)] + " has no reason",
                      "add \"reason\": why this option is wrong");
    }
}

const std::vector<std::string_view> kQuestionOnly = {"stem", "options", "answer", "explanation", "choose", "skill"};
const std::vector<std::string_view> kFlashcardOnly = {"front", "back"};
const std::vector<std::string_view> kNotForSingle = {"front", "back", "choose"};

std::optional<Card> read_card(const Json& j, const std::string& cp, FileReporter& r, const Exam* exam,
                              const std::string& deck_id) {
    r.set_card({});
    if (!j.is_object()) {
        r.error(cp, "a card must be an object, not " + describe(j));
        return std::nullopt;
    }
    int errors_before = r.errors();
    Card card;
    card.deck_id = deck_id;
    card.file = r.file();
    TextPosition pos = r.doc().position_of(cp);
    card.line = pos.line;
    card.column = pos.column;
    if (auto it = j.find("id"); it != j.end() && it->is_string()) {
        card.id = it->get<std::string>();
        if (card.id.empty())
            r.error(child(cp, "id"), "card id is empty", "give the card a stable id, e.g. \"cissp.d1.q0001\"");
        else if (!is_identifier(card.id) && !check_identifier(card.id, child(cp, "id"), "card", "cissp.d1.q0001", r))
            card.id = text::sanitize(card.id);
        r.set_card(card.id);
    }
    std::string type = j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : "";
    if (type == "single" || type == "multi") {
        card.type = type == "single" ? CardType::Single : CardType::Multi;
        const bool multi = card.type == CardType::Multi;
        // A single card has the same fields without "choose", the last: on it, "choose" is
        // reported as a field of the other type.
        static constexpr FieldSpec kQuestionFieldSpecs[] = {
            {"id", JsonType::String, true},
            {"type", JsonType::String, true},
            {"domain", JsonType::String, true},
            {"topics", JsonType::Array, false},
            {"difficulty", JsonType::Integer, false},
            {"skill", JsonType::String, false},
            {"references", JsonType::Array, false},
            {"stem", JsonType::String, true},
            {"options", JsonType::Array, true},
            {"answer", JsonType::Any, true},  // read_answer explains a wrong shape best
            {"explanation", JsonType::String, false},
            {"choose", JsonType::Integer, true}};
        const std::span<const FieldSpec> specs(kQuestionFieldSpecs);
        check_fields(j, cp, multi ? specs : specs.first(specs.size() - 1), r, std::string("a ") + type + " card",
                     multi ? kFlashcardOnly : kNotForSingle, std::string(type) + " cards");
    } else if (type == "flashcard") {
        card.type = CardType::Flashcard;
        check_fields(j, cp,
                     {{"id", JsonType::String, true},
                      {"type", JsonType::String, true},
                      {"domain", JsonType::String, true},
                      {"topics", JsonType::Array, false},
                      {"difficulty", JsonType::Integer, false},
                      {"references", JsonType::Array, false},
                      {"front", JsonType::String, true},
                      {"back", JsonType::String, true}},
                     r, "a flashcard", kQuestionOnly, "flashcards");
    } else {
        if (!j.contains("type"))
            r.error(cp, "card has no 'type'", "add \"type\": \"single\", \"multi\" or \"flashcard\"");
        else if (!j["type"].is_string())
            r.error(child(cp, "type"), "'type' must be a string, not " + describe(j["type"]));
        else
            r.error(child(cp, "type"), "unknown card type '" + text::sanitize(type) + "'",
                    did_you_mean(type, {"single", "multi", "flashcard"}).empty()
                        ? "use \"single\", \"multi\" or \"flashcard\""
                        : did_you_mean(type, {"single", "multi", "flashcard"}));
        return std::nullopt;
    }
    if (exam) card.exam_id = exam->id;
    if (auto it = j.find("domain"); it != j.end() && it->is_string()) {
        card.domain_id = it->get<std::string>();
        if (exam && !exam->domain(card.domain_id)) {
            std::vector<std::string> ids;
            for (const auto& d : exam->domains) ids.push_back(d.id);
            std::string hint = did_you_mean(card.domain_id, ids);
            r.error(child(cp, "domain"), "unknown domain '" + text::sanitize(card.domain_id) + "' for exam " + exam->id,
                    hint.empty() ? "domains of " + exam->id + ": " +
                                       [&] {
                                           std::string all;
                                           for (const auto& id : ids) all += (all.empty() ? "" : ", ") + id;
                                           return all;
                                       }()
                                 : hint);
        }
    }
    read_topics(j, cp, r, exam, card);
    card.references = string_list(j, "references", cp, r, true);
    if (auto it = j.find("difficulty"); it != j.end() && it->is_number_integer()) {
        long long d = it->get<long long>();
        if (d < 1 || d > 3)
            r.error(child(cp, "difficulty"), "'difficulty' must be 1, 2 or 3", "1 easy, 2 medium, 3 hard");
        else
            card.difficulty = static_cast<int>(d);
    }
    if (auto it = j.find("skill"); it != j.end() && it->is_string()) {
        if (auto skill = parse_skill(it->get<std::string>()))
            card.skill = *skill;
        else
            r.error(child(cp, "skill"), "unknown skill '" + text::sanitize(it->get<std::string>()) + "'",
                    "use \"recall\", \"application\" or \"judgement\"");
    }
    if (card.type == CardType::Flashcard) {
        card.front = check_text(j, "front", cp, r);
        card.back = check_text(j, "back", cp, r);
    } else {
        card.stem = check_text(j, "stem", cp, r);
        card.explanation = optional_text(j, "explanation", cp, r).value_or("");
        read_options(j, cp, r, card);
        if (card.type == CardType::Multi) read_choose(j, cp, r, card);
        read_answer(j, cp, r, card);
        check_question_warnings(j, cp, r, card);
    }
    if (r.errors() > errors_before) return std::nullopt;
    return card;
}

}  // namespace

DeckContent read_deck(const Json& root, FileReporter& r, FileSummary& summary, const std::vector<const Exam*>& exams,
                      bool lint) {
    DeckContent out;
    const std::string p;
    int errors_before = r.errors();
    check_fields(root, p,
                 {{"format_version", JsonType::Integer, true},
                  {"kind", JsonType::String, true},
                  {"id", JsonType::String, true},
                  {"title", JsonType::String, true},
                  {"exam", JsonType::String, true},
                  {"author", JsonType::String, true},
                  {"version", JsonType::String, true},
                  {"license", JsonType::String, true},
                  {"description", JsonType::String, false},
                  {"cards", JsonType::Array, true}},
                 r, "a deck");
    DeckInfo& info = out.info;
    info.file = r.file();
    info.id = check_text(root, "id", p, r);
    check_identifier(info.id, "/id", "deck", "cissp-d1", r);
    info.title = check_text(root, "title", p, r);
    info.exam_id = check_text(root, "exam", p, r);
    info.author = check_text(root, "author", p, r);
    info.version = check_text(root, "version", p, r);
    info.license = check_text(root, "license", p, r);
    info.description = optional_text(root, "description", p, r).value_or("");
    const Exam* exam = nullptr;
    if (!info.exam_id.empty()) {
        auto it = std::find_if(exams.begin(), exams.end(), [&](const Exam* e) { return e->id == info.exam_id; });
        if (it != exams.end()) {
            exam = *it;
        } else {
            std::vector<std::string> ids;
            for (const auto* e : exams) ids.push_back(e->id);
            std::string hint = did_you_mean(info.exam_id, ids);
            r.error("/exam",
                    "unknown exam '" + text::sanitize(info.exam_id) + "': no blueprint with that id was loaded",
                    hint.empty() ? "add the exam's blueprint (exam.json) to the checked paths, or fix the id" : hint);
        }
    }
    summary.id = info.id;
    summary.exam_id = info.exam_id;
    out.header_ok = r.errors() == errors_before && exam != nullptr;
    if (auto it = root.find("cards"); it != root.end() && it->is_array()) {
        if (it->empty()) r.warning("/cards", "the deck has no cards", "add cards or remove the file");
        QualifierStyles styles;
        out.cards.reserve(it->size());
        out.places.reserve(it->size());
        for (std::size_t i = 0; i < it->size(); ++i) {
            const Json& j = (*it)[i];
            std::string cp = child(std::string("/cards"), i);
            if (j.is_object() && j.contains("id") && j["id"].is_string()) {
                TextPosition pos = r.doc().position_of(cp);
                out.places.push_back({j["id"].get<std::string>(), r.file(), cp, pos.line, pos.column});
            }
            if (auto card = read_card(j, cp, r, exam, info.id)) {
                if (lint) lint_card(*card, cp, r, styles);
                ++summary.by_type[to_string(card->type)];
                ++summary.by_domain[card->domain_id];
                out.cards.push_back(std::move(*card));
            }
        }
        r.set_card({});
        if (lint) lint_qualifier_styles(styles, r);
    }
    summary.cards = out.cards.size();
    info.card_count = out.cards.size();
    return out;
}

}  // namespace certdrill::decks
