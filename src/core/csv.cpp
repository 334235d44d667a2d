#include "core/csv.hpp"

namespace certdrill::csv {

namespace {

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    }

    Table read() {
        Table table;
        while (pos_ < s_.size()) {
            Record record;
            record.row = ++rows_;  // blank lines count, as in a spreadsheet
            record.line = line_;
            if (!read_record(record)) {
                table.error = record.error;
                table.error_row = record.row;
                return table;
            }
            // A blank line (a record of one empty field) holds nothing to import.
            if (record.fields.size() == 1 && record.fields[0].empty() && record.error.empty()) continue;
            table.records.push_back(std::move(record));
        }
        return table;
    }

private:
    bool at_record_end() const { return pos_ >= s_.size() || s_[pos_] == '\n' || s_[pos_] == '\r'; }

    void skip_line_end() {
        if (pos_ < s_.size() && s_[pos_] == '\r') ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
        ++line_;
    }

    // Reads fields up to the end of the record; false only when the input cannot be read further.
    bool read_record(Record& record) {
        for (;;) {
            std::string field;
            if (pos_ < s_.size() && s_[pos_] == '"') {
                if (!read_quoted(field, record)) return false;
            } else {
                read_plain(field, record);
            }
            record.fields.push_back(std::move(field));
            if (at_record_end()) {
                skip_line_end();
                return true;
            }
            ++pos_;  // the comma
        }
    }

    bool read_quoted(std::string& field, Record& record) {
        const int opened_on = line_;
        ++pos_;
        for (;;) {
            if (pos_ >= s_.size()) {
                record.error = "a quoted field opened on line " + std::to_string(opened_on) +
                               " is never closed (a \" is missing)";
                return false;
            }
            const char c = s_[pos_++];
            if (c == '"') {
                if (pos_ < s_.size() && s_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                    continue;
                }
                break;
            }
            if (c == '\r' && pos_ < s_.size() && s_[pos_] == '\n') continue;  // CRLF inside: keep LF
            if (c == '\n') ++line_;
            field += c;
        }
        if (!at_record_end() && s_[pos_] != ',') {
            if (record.error.empty())
                record.error = "text after the closing quote of field " + std::to_string(record.fields.size() + 1) +
                               " (write a quote inside a quoted field as \"\")";
            while (!at_record_end() && s_[pos_] != ',') field += s_[pos_++];
        }
        return true;
    }

    void read_plain(std::string& field, Record& record) {
        while (!at_record_end() && s_[pos_] != ',') {
            if (s_[pos_] == '"' && record.error.empty())
                record.error = "a quote inside unquoted field " + std::to_string(record.fields.size() + 1) +
                               " (put the whole field in quotes and double the inner quote: \"\")";
            field += s_[pos_++];
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int rows_ = 0;
};

}  // namespace

Table parse(std::string_view text) { return Reader(text).read(); }

}  // namespace certdrill::csv
