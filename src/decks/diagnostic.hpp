#pragma once
// Compiler-style diagnostics for deck and blueprint files.
#include <string>
#include <vector>

namespace certdrill::decks {

enum class Severity { Error, Warning };

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 when the problem concerns the whole file
    int column = 0;  // 1-based, in characters
    Severity severity = Severity::Error;
    std::string card_id;  // empty when not about one card
    std::string pointer;  // JSON pointer of the offending value, e.g. /cards/17/answer
    std::string message;
    std::string hint;  // how to fix it; may be empty
    bool operator==(const Diagnostic&) const = default;
};

// "file:line:column: error: card 'x' (/cards/17/answer): message [hint: ...]"
std::string format(const Diagnostic& d);
// `s` with its line breaks written as \n and \r: a diagnostic or summary is one line, whatever a
// file name or a message holds, so none can forge a line of its own.
std::string on_one_line(std::string s);

struct Diagnostics {
    std::vector<Diagnostic> items;

    void add(Diagnostic d) { items.push_back(std::move(d)); }
    std::size_t error_count() const;
    std::size_t warning_count() const;
    bool has_errors() const { return error_count() > 0; }
    std::size_t error_count_in(const std::string& file) const;
    bool operator==(const Diagnostics&) const = default;
};

}  // namespace certdrill::decks
