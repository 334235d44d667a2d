#include "decks/diagnostic.hpp"

#include <algorithm>
#include <utility>

namespace certdrill::decks {

std::string format(const Diagnostic& d) {
    std::string out = d.file;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += d.severity == Severity::Error ? ": error: " : ": warning: ";
    if (!d.card_id.empty()) out += "card '" + d.card_id + "' ";
    if (!d.pointer.empty()) out += "(" + d.pointer + ") ";
    if (!d.card_id.empty() || !d.pointer.empty()) {
        out.pop_back();
        out += ": ";
    }
    out += d.message;
    if (!d.hint.empty()) out += " [hint: " + d.hint + "]";
    return on_one_line(std::move(out));
}

std::string on_one_line(std::string s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\n' && s[i] != '\r') continue;
        s.replace(i, 1, s[i] == '\n' ? "\\n" : "\\r");
        ++i;
    }
    return s;
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const { return items.size() - error_count(); }

std::size_t Diagnostics::error_count_in(const std::string& file) const {
    return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), [&](const Diagnostic& d) {
        return d.severity == Severity::Error && d.file == file;
    }));
}

}  // namespace certdrill::decks
