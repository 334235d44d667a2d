#pragma once
// An RFC 4180 CSV reader: comma-separated fields, fields in double quotes may hold commas, line
// breaks and doubled quotes (""), records end in CRLF or LF, a UTF-8 byte order mark is skipped.
// Pure; never throws on bad input.
#include <string>
#include <string_view>
#include <vector>

namespace certdrill::csv {

struct Record {
    std::vector<std::string> fields;
    int row = 0;   // 1-based record number, as a spreadsheet numbers rows (the header is row 1)
    int line = 0;  // 1-based line of the file where the record starts
    std::string error;  // set when the record is malformed (e.g. a stray quote); fields may be partial
};

struct Table {
    std::vector<Record> records;
    // A problem that ends reading, e.g. a quoted field never closed; `error_row` names its record.
    std::string error;
    int error_row = 0;
};

Table parse(std::string_view text);

}  // namespace certdrill::csv
