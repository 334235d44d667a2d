#pragma once
// Cards from a spreadsheet saved as CSV (`certdrill import csv`). The layout is documented in
// docs/import.md: a header row naming the columns, then one card per row. Text is untrusted:
// control sequences and bidirectional overrides are removed.
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace certdrill::app {

struct RowProblem {
    int row = 0;  // 1-based, the header is row 1; 0 for the whole file
    std::string message;
    std::string hint;
};

struct CsvImport {
    std::vector<Card> cards;  // rows that could be read, in file order
    std::vector<int> rows;    // the row of each card
    std::vector<RowProblem> problems;
    bool fatal = false;  // the file could not be read as a table at all (nothing can be kept)
};

// The columns the importer knows, in the documented order.
const std::vector<std::string>& csv_columns();

// Reads the rows into cards of `deck_id` for `exam`. Checks what only the CSV can tell (columns,
// types, option letters); the deck validator checks the rest once the cards are assembled.
CsvImport cards_from_csv(std::string_view text, const Exam& exam, const std::string& deck_id);

}  // namespace certdrill::app
