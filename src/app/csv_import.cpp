#include "app/csv_import.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace certdrill::app {

namespace {

constexpr std::string_view kOptionLetters = "abcdef";

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const char32_t cp = text::decode_next(s, i);
        if (cp == 0xFFFD && s.substr(start, 3) != "\xEF\xBF\xBD") return false;
    }
    return true;
}

// Untrusted text made safe: no control sequences, no bidi overrides, no stray spaces.
std::string clean(std::string_view s) { return trim(text::sanitize(s)); }

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    std::string part;
    for (char c : s) {
        if (c == ';' || c == '\n') {
            if (auto t = trim(part); !t.empty()) out.push_back(t);
            part.clear();
        } else {
            part += c;
        }
    }
    if (auto t = trim(part); !t.empty()) out.push_back(t);
    return out;
}

class RowReader {
public:
    RowReader(const std::map<std::string, std::size_t>& columns, const csv::Record& record, std::vector<RowProblem>& out)
        : columns_(columns), record_(record), out_(out) {}

    std::string get(const std::string& column) const {
        auto it = columns_.find(column);
        if (it == columns_.end() || it->second >= record_.fields.size()) return {};
        return clean(record_.fields[it->second]);
    }
    void error(std::string message, std::string hint = {}) {
        out_.push_back({record_.row, std::move(message), std::move(hint)});
        ok_ = false;
    }
    bool ok() const { return ok_; }

private:
    const std::map<std::string, std::size_t>& columns_;
    const csv::Record& record_;
    std::vector<RowProblem>& out_;
    bool ok_ = true;
};

// "B", "A;C", "A, C" or "AC" into option indices; nothing (with an error) when malformed.
std::optional<std::vector<int>> parse_answer(const std::string& answer, std::size_t options, RowReader& row) {
    std::vector<int> out;
    for (char c : answer) {
        if (c == ';' || c == ',' || c == ' ') continue;
        const char upper = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        const int index = upper - 'A';
        if (index < 0 || index >= static_cast<int>(options)) {
            row.error("answer '" + answer + "' names " + std::string(1, upper) + ", but the row has " +
                          std::to_string(options) + " options",
                      options == 0 ? "fill the option columns a, b, c, ..." : "use letters from A to " +
                                                                                    std::string(1, char('A' + options - 1)));
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), index) != out.end()) {
            row.error("answer '" + answer + "' lists " + std::string(1, upper) + " twice", "list each letter once");
            return std::nullopt;
        }
        out.push_back(index);
    }
    if (out.empty()) {
        row.error("the answer column is empty", "write the letter of the right option, e.g. B");
        return std::nullopt;
    }
    return out;
}

void read_options(RowReader& row, Card& card) {
    bool gap = false;
    for (std::size_t i = 0; i < kOptionLetters.size(); ++i) {
        const std::string letter(1, kOptionLetters[i]);
        std::string option = row.get(letter), reason = row.get(letter + "_reason");
        if (option.empty()) {
            if (!reason.empty())
                row.error("column " + letter + "_reason has a reason but option " + letter + " is empty",
                          "fill option " + letter + " or clear its reason");
            gap = true;
            continue;
        }
        if (gap) {
            row.error("option " + letter + " follows an empty option", "fill the options from a without gaps");
            return;
        }
        card.options.push_back(Option{option, reason, false});
    }
}

void read_question(RowReader& row, Card& card) {
    card.stem = row.get("stem");
    if (card.stem.empty()) row.error("the stem column is empty", "write the question in 'stem'");
    read_options(row, card);
    for (const char* column : {"front", "back"})
        if (!row.get(column).empty())
            row.error(std::string("column ") + column + " is for flashcards, but this row is a " + to_string(card.type),
                      "clear it, or make the row a flashcard");
    auto answer = parse_answer(row.get("answer"), card.options.size(), row);
    if (!answer) return;
    if (card.type == CardType::Single && answer->size() != 1) {
        row.error("a single question has one answer, this row gives " + std::to_string(answer->size()),
                  "give one letter, or make the row \"multi\"");
        return;
    }
    if (card.type == CardType::Multi && answer->size() < 2) {
        row.error("a multi question needs two or more answers", "list them as A;C, or make the row \"single\"");
        return;
    }
    for (int i : *answer) card.options[static_cast<std::size_t>(i)].correct = true;
    card.choose = static_cast<int>(answer->size());
    card.explanation = row.get("explanation");
}

void read_flashcard(RowReader& row, Card& card) {
    card.front = row.get("front");
    card.back = row.get("back");
    if (card.front.empty()) row.error("the front column is empty", "a flashcard needs 'front' and 'back'");
    if (card.back.empty()) row.error("the back column is empty", "a flashcard needs 'front' and 'back'");
    for (const char* column : {"stem", "answer", "explanation", "a", "b", "c", "d", "e", "f"})
        if (!row.get(column).empty())
            row.error(std::string("column ") + column + " is for questions, but this row is a flashcard",
                      "clear it, or make the row \"single\" or \"multi\"");
}

std::optional<Card> read_row(RowReader& row, const Exam& exam, const std::string& deck_id) {
    Card card;
    card.deck_id = deck_id;
    card.exam_id = exam.id;
    card.id = row.get("id");
    if (card.id.empty()) row.error("the id column is empty", "give every row a stable id, e.g. " + deck_id + ".q0001");
    card.domain_id = row.get("domain");
    if (card.domain_id.empty()) row.error("the domain column is empty", "name a domain of " + exam.id + ", e.g. " +
                                                                           exam.domains.front().id);
    card.topics = split_list(row.get("topics"));
    card.references = split_list(row.get("references"));
    if (const std::string d = row.get("difficulty"); !d.empty()) {
        if (d == "1" || d == "2" || d == "3")
            card.difficulty = d[0] - '0';
        else
            row.error("difficulty '" + d + "' is not 1, 2 or 3", "1 easy, 2 medium, 3 hard, or leave it empty");
    }
    const std::string type = text::lower(row.get("type"));
    if (type == "single" || type == "multi") {
        card.type = type == "single" ? CardType::Single : CardType::Multi;
        read_question(row, card);
    } else if (type == "flashcard") {
        card.type = CardType::Flashcard;
        read_flashcard(row, card);
    } else {
        row.error(type.empty() ? "the type column is empty" : "unknown type '" + type + "'",
                  "use single, multi or flashcard");
    }
    if (!row.ok()) return std::nullopt;
    return card;
}

// Column name -> field index; reports unknown, repeated and missing columns against row 1.
std::optional<std::map<std::string, std::size_t>> read_header(const csv::Record& header,
                                                              std::vector<RowProblem>& problems) {
    std::map<std::string, std::size_t> columns;
    const auto& known = csv_columns();
    bool ok = true;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = text::lower(clean(header.fields[i]));
        if (name.empty()) continue;
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            problems.push_back({header.row, "unknown column '" + name + "'",
                                "the columns are: " + [&] {
                                    std::string all;
                                    for (const auto& k : known) all += (all.empty() ? "" : ",") + k;
                                    return all;
                                }()});
            ok = false;
        } else if (!columns.emplace(name, i).second) {
            problems.push_back({header.row, "column '" + name + "' appears twice", "keep one of them"});
            ok = false;
        }
    }
    for (const char* required : {"id", "type", "domain"})
        if (!columns.count(required)) {
            problems.push_back({header.row, std::string("the header has no '") + required + "' column",
                                "the first row names the columns, e.g. id,type,domain,topics,stem,a,b,c,d,answer"});
            ok = false;
        }
    if (!ok) return std::nullopt;
    return columns;
}

}  // namespace

const std::vector<std::string>& csv_columns() {
    static const std::vector<std::string> columns = {
        "id",       "type",     "domain",   "topics", "difficulty", "stem",        "a",          "a_reason",
        "b",        "b_reason", "c",        "c_reason", "d",        "d_reason",    "e",          "e_reason",
        "f",        "f_reason", "answer",   "explanation", "references", "front",  "back"};
    return columns;
}

CsvImport cards_from_csv(std::string_view text, const Exam& exam, const std::string& deck_id) {
    CsvImport out;
    const csv::Table table = csv::parse(text);
    if (!table.error.empty()) {
        out.problems.push_back({table.error_row, table.error, "check the quotes around that row"});
        out.fatal = true;
        return out;
    }
    if (table.records.empty()) {
        out.problems.push_back({0, "the file has no rows", "the first row names the columns, then one card per row"});
        out.fatal = true;
        return out;
    }
    auto columns = read_header(table.records.front(), out.problems);
    if (!columns) {
        out.fatal = true;
        return out;
    }
    if (table.records.size() == 1) {
        out.problems.push_back({0, "the file has a header but no cards", "add one row per card"});
        out.fatal = true;
        return out;
    }
    for (std::size_t r = 1; r < table.records.size(); ++r) {
        const csv::Record& record = table.records[r];
        RowReader row(*columns, record, out.problems);
        if (!record.error.empty()) {
            row.error(record.error);
            continue;
        }
        if (record.fields.size() != table.records.front().fields.size()) {
            row.error("the row has " + std::to_string(record.fields.size()) + " fields, the header " +
                          std::to_string(table.records.front().fields.size()),
                      "a comma inside a field needs the field in quotes");
            continue;
        }
        if (!std::all_of(record.fields.begin(), record.fields.end(), [](const std::string& f) { return valid_utf8(f); })) {
            row.error("the row is not valid UTF-8", "save the file as CSV UTF-8");
            continue;
        }
        if (auto card = read_row(row, exam, deck_id)) {
            out.cards.push_back(std::move(*card));
            out.rows.push_back(record.row);
        }
    }
    return out;
}

}  // namespace certdrill::app
