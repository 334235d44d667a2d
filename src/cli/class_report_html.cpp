#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "cli/class_report.hpp"
#include "core/text.hpp"

namespace certdrill::cli {

namespace {

std::string escape(std::string_view s) {
    std::string out;
    for (char c : text::sanitize(s)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string number(double v, const char* format = "%.2f") {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// A bar from 0 to 1, with the band [low, high] shaded as the healthy range.
std::string share_bar(double value, double low, double high) {
    const double w = 120;
    return "<svg width=\"120\" height=\"14\" role=\"img\" aria-label=\"" + number(100 * value, "%.0f") +
           "%\"><rect width=\"120\" height=\"14\" fill=\"#eee\"/><rect x=\"" + number(low * w, "%.1f") +
           "\" width=\"" + number((high - low) * w, "%.1f") + "\" height=\"14\" fill=\"#dfeedd\"/><rect width=\"" +
           number(value * w, "%.1f") + "\" y=\"3\" height=\"8\" fill=\"#3a6ea5\"/></svg>";
}

// Discrimination from -1 to 1 around a centre line; negative bars are red.
std::string discrimination_bar(const std::optional<double>& d) {
    if (!d) return "<span class=\"muted\">n/a</span>";
    const double half = 60, x = half + *d * half;
    const double left = std::min(half, x), width = std::abs(x - half);
    return "<svg width=\"120\" height=\"14\" role=\"img\" aria-label=\"" + number(*d, "%+.2f") +
           "\"><rect width=\"120\" height=\"14\" fill=\"#eee\"/><rect x=\"" + number(left, "%.1f") + "\" y=\"3\" width=\"" +
           number(width, "%.1f") + "\" height=\"8\" fill=\"" + (*d < 0 ? "#c0392b" : "#2e8b57") +
           "\"/><line x1=\"60\" x2=\"60\" y1=\"0\" y2=\"14\" stroke=\"#555\"/></svg> " + number(*d, "%+.2f");
}

// One stacked bar: each option's share, the key in green, distractors in greys.
std::string options_bar(const ItemStatistics& s) {
    std::string svg = "<svg width=\"200\" height=\"16\" role=\"img\" aria-label=\"option shares\">";
    double x = 0;
    int shade = 0;
    std::string legend;
    for (const auto& [letter, share] : s.option_shares) {
        const bool key = s.key.answer.find(letter) != std::string::npos;
        const double w = share * 200;
        const char* colour = key ? "#2e8b57" : (shade++ % 2 ? "#9aa5b1" : "#c5ccd3");
        svg += "<rect x=\"" + number(x, "%.1f") + "\" width=\"" + number(w, "%.1f") + "\" height=\"16\" fill=\"" +
               colour + "\"><title>" + letter + (key ? " (key)" : "") + ": " + number(100 * share, "%.0f") +
               "%</title></rect>";
        if (w >= 14)
            svg += "<text x=\"" + number(x + w / 2, "%.1f") + "\" y=\"12\" font-size=\"10\" text-anchor=\"middle\">" +
                   letter + "</text>";
        x += w;
        legend += std::string(legend.empty() ? "" : " ") + (key ? "<b>" : "") + letter + " " +
                  number(100 * share, "%.0f") + "%" + (key ? "</b>" : "");
    }
    return svg + "</svg><br><small>" + legend + "</small>";
}

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;
vertical-align:top}th{background:#f4f4f4}tr.flagged{background:#fff4f2}.flag{display:inline-block;
background:#c0392b;color:#fff;border-radius:3px;padding:0 .4em;margin:1px;font-size:.85em}
.flag.too-easy,.flag.too-hard,.flag.dead-distractor{background:#b9770e}.muted{color:#888}
code{font-size:.95em})";

std::string item_row(const ItemStatistics& s) {
    std::string flags;
    for (const auto& f : s.flags) flags += "<span class=\"flag " + f + "\">" + f + "</span>";
    std::string time = s.median_ms ? number(static_cast<double>(*s.median_ms) / 1000.0, "%.0f") + " s" : "-";
    return std::string("<tr") + (s.flags.empty() ? "" : " class=\"flagged\"") + "><td><code>" + escape(s.key.id) +
           "</code><br><small class=\"muted\">" + escape(s.key.exam_id) + " " + escape(s.key.domain_id) +
           "</small></td><td>" + std::to_string(s.n) + "</td><td>" + share_bar(s.p, 0.2, 0.95) + " " +
           number(100 * s.p, "%.0f") + "%</td><td>" + discrimination_bar(s.discrimination) + "</td><td>" +
           options_bar(s) + "</td><td>" + time + "</td><td>" + flags + "</td></tr>\n";
}

}  // namespace

std::string class_report_html(const ClassReport& r) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<title>certdrill class report</title><style>" +
                       std::string(kStyle) + "</style></head><body>\n";
    html += "<h1>Class report</h1><p>" + std::to_string(r.learners.size()) + " learners, " +
            std::to_string(r.items.size()) +
            " items answered. Item statistics use each learner's <b>first</b> answer only: later answers "
            "follow the feedback. <i>p</i> is the share right (shaded band 20&ndash;95%); discrimination is the "
            "point-biserial correlation of the item with the learner's score on the other items. A negative "
            "value usually means a wrong key or an ambiguous item.</p>\n";
    for (const auto& n : r.notes) html += "<p class=\"muted\">Note: " + escape(n) + "</p>\n";
    html += "<h2>Items</h2><table><tr><th>item</th><th>n</th><th>p</th><th>discrimination</th>"
            "<th>options (key in green)</th><th>median time</th><th>flags</th></tr>\n";
    for (const auto& s : r.items) html += item_row(s);
    html += "</table>\n<h2>Learners</h2><table><tr><th>learner</th><th>answers</th><th>items</th>"
            "<th>first answers right</th><th>readiness</th><th>mastery by domain</th></tr>\n";
    for (std::size_t i = 0; i < r.learners.size(); ++i) {
        const auto& l = r.learners[i];
        const auto& first = r.first[i].responses;
        std::size_t right = 0;
        for (const auto& x : first) right += x.correct ? 1 : 0;
        const double accuracy = first.empty() ? 0.0 : static_cast<double>(right) / static_cast<double>(first.size());
        std::string readiness, domains;
        for (const auto& e : l.exams) {
            readiness += escape(e.short_name) + " " + share_bar(e.readiness, e.passing, 1.0) + " " +
                         number(100 * e.readiness, "%.0f") + "% <small class=\"muted\">(pass " +
                         number(100 * e.passing, "%.0f") + "%)</small><br>";
            for (const auto& d : e.domains)
                domains += escape(d.id) + " " + number(100 * d.mastery, "%.0f") + "% ";
        }
        html += "<tr><td>" + escape(l.learner) + "</td><td>" + std::to_string(l.answers.size()) + "</td><td>" +
                std::to_string(first.size()) + "</td><td>" + number(100 * accuracy, "%.0f") + "%</td><td>" +
                readiness + "</td><td><small>" + domains + "</small></td></tr>\n";
    }
    html += "</table></body></html>\n";
    return html;
}

}  // namespace certdrill::cli
