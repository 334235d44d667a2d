#include "app/exam_ids.hpp"

#include <algorithm>
#include <cctype>

#include "app/errors.hpp"
#include "core/text.hpp"

namespace certdrill::app {

namespace {

// Lower case, without the separators people put in names differently ("CISSP-ISSMP", "cissp issmp").
std::string folded(std::string_view text) {
    std::string out;
    for (unsigned char c : text)
        if (c != ' ' && c != '-' && c != '_') out.push_back(static_cast<char>(std::tolower(c)));
    return out;
}

bool is_number(std::string_view text) {
    return !text.empty() && text.size() <= 3 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// `source.usage` with `id` in place of ID.
std::string example(IdSource source, const std::string& id) {
    std::string out(source.usage);
    if (auto at = out.find("ID"); at != std::string::npos) out.replace(at, 2, id);
    return out;
}

std::string domain_choices(const Exam& exam) {
    std::string ids;
    for (const auto& d : exam.domains) ids += (ids.empty() ? "" : " ") + d.id;
    return ids;
}

}  // namespace

const Exam* match_exam(const Library& library, std::string_view typed) {
    const std::string wanted = folded(typed);
    if (wanted.empty()) return nullptr;
    for (const auto& e : library.exams)
        if (folded(e.id) == wanted) return &e;
    for (const auto& e : library.exams)
        if (folded(e.short_name) == wanted) return &e;
    return nullptr;
}

const Domain* match_domain(const Exam& exam, std::string_view typed) {
    const std::string wanted = folded(typed);
    for (const auto& d : exam.domains)
        if (folded(d.id) == wanted) return &d;
    if (!is_number(wanted)) return nullptr;
    const int number = std::stoi(wanted);
    for (const auto& d : exam.domains)
        if (d.number == number) return &d;
    return nullptr;
}

std::string exam_choices(const Library& library) {
    std::string out;
    for (const auto& e : library.exams) {
        if (!out.empty()) out += ", ";
        out += e.id;
        if (folded(e.short_name) != folded(e.id)) out += " (" + e.short_name + ")";
    }
    return out;
}

const Exam& require_exam(const Library& library, std::string_view typed, IdSource source) {
    if (const Exam* e = match_exam(library, typed)) return *e;
    if (library.exams.empty())
        throw usage_error("unknown exam '" + text::sanitize(typed) + "' given to " +
                              std::string(source.name) + ": no exams are loaded",
                          "check --decks, or run 'certdrill validate'");
    throw usage_error("unknown exam '" + text::sanitize(typed) + "' given to " + std::string(source.name),
                      "use one of: " + exam_choices(library) + " (any case), e.g. " +
                          example(source, library.exams.front().id));
}

const Domain& require_domain(const Exam& exam, std::string_view typed, IdSource source) {
    if (const Domain* d = match_domain(exam, typed)) return *d;
    if (exam.domains.empty()) throw usage_error("exam " + exam.id + " has no domains", "check its blueprint");
    const Domain& first = exam.domains.front();
    throw usage_error("exam " + exam.id + " has no domain '" + text::sanitize(typed) + "' (given to " +
                          std::string(source.name) + ")",
                      "use one of: " + domain_choices(exam) + " (any case) or the domain's number, e.g. " +
                          example(source, first.id) + " or " + example(source, std::to_string(first.number)));
}

}  // namespace certdrill::app
