#include "core/model.hpp"

#include <algorithm>

namespace certdrill {

const Domain* Exam::domain(std::string_view domain_id) const {
    auto it = std::find_if(domains.begin(), domains.end(), [&](const Domain& d) { return d.id == domain_id; });
    return it == domains.end() ? nullptr : &*it;
}

double Exam::effective_weight(const Domain& d) const {
    if (weighted) return d.weight;
    return domains.empty() ? 0.0 : 100.0 / static_cast<double>(domains.size());
}

namespace {
void collect(const std::vector<Objective>& objectives, bool leaves_only, std::vector<const Objective*>& out) {
    for (const auto& o : objectives) {
        if (!leaves_only || o.children.empty()) out.push_back(&o);
        collect(o.children, leaves_only, out);
    }
}
}  // namespace

std::vector<const Objective*> Exam::all_objectives() const {
    std::vector<const Objective*> out;
    for (const auto& d : domains) collect(d.objectives, false, out);
    return out;
}

std::vector<const Objective*> Exam::leaf_objectives() const {
    std::vector<const Objective*> out;
    for (const auto& d : domains) collect(d.objectives, true, out);
    return out;
}

const char* to_string(CardType t) {
    switch (t) {
        case CardType::Single:
            return "single";
        case CardType::Multi:
            return "multi";
        case CardType::Flashcard:
            return "flashcard";
    }
    return "?";
}

const char* to_string(Skill s) {
    switch (s) {
        case Skill::Unknown:
            return "";
        case Skill::Recall:
            return "recall";
        case Skill::Application:
            return "application";
        case Skill::Judgement:
            return "judgement";
    }
    return "";
}

std::optional<Skill> parse_skill(std::string_view name) {
    for (Skill s : {Skill::Recall, Skill::Application, Skill::Judgement})
        if (name == to_string(s)) return s;
    return std::nullopt;
}

int Card::correct_count() const {
    return static_cast<int>(std::count_if(options.begin(), options.end(), [](const Option& o) { return o.correct; }));
}

const Exam* Library::exam(std::string_view id) const {
    auto it = std::find_if(exams.begin(), exams.end(), [&](const Exam& e) { return e.id == id; });
    return it == exams.end() ? nullptr : &*it;
}

const Card* Library::card(std::string_view id) const {
    auto it = std::find_if(cards.begin(), cards.end(), [&](const Card& c) { return c.id == id; });
    return it == cards.end() ? nullptr : &*it;
}

std::vector<const Card*> Library::cards_of(std::string_view exam_id) const {
    std::vector<const Card*> out;
    for (const auto& c : cards)
        if (c.exam_id == exam_id) out.push_back(&c);
    return out;
}

}  // namespace certdrill
