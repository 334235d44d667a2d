#include "app/anki_convert.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.hpp"

namespace certdrill::app {

namespace {

bool starts_with_ci(std::string_view s, std::size_t at, std::string_view prefix) {
    if (at + prefix.size() > s.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[at + i])) != prefix[i]) return false;
    return true;
}

// The character an HTML entity such as &amp; or &#233; stands for; advances `i` past it.
std::optional<std::string> decode_entity(std::string_view s, std::size_t& i) {
    const std::size_t end = s.find(';', i);
    if (end == std::string_view::npos || end - i > 10) return std::nullopt;
    const std::string_view name = s.substr(i + 1, end - i - 1);
    static const std::map<std::string_view, std::string_view> named = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}, {"#39", "'"}};
    std::string out;
    if (auto it = named.find(name); it != named.end()) {
        out = it->second;
    } else if (name.size() > 1 && name[0] == '#') {
        try {
            const bool hex = name[1] == 'x' || name[1] == 'X';
            const unsigned long cp = std::stoul(std::string(name.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10);
            if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
            text::append_utf8(out, static_cast<char32_t>(cp));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
    i = end + 1;
    return out;
}

std::string tidy_lines(const std::string& s) {
    std::string out;
    int newlines = 0;
    for (char c : s) {
        if (c == '\n') {
            if (++newlines > 2) continue;
        } else {
            newlines = 0;
        }
        out += c;
    }
    const auto first = out.find_first_not_of(" \n");
    if (first == std::string::npos) return {};
    const auto last = out.find_last_not_of(" \n");
    return out.substr(first, last - first + 1);
}

std::string tag_id(std::string_view s) {
    std::string out;
    for (char c : text::sanitize(s)) out += c == ' ' ? '_' : c;
    return out;
}

}  // namespace

std::string text_from_anki_html(std::string_view html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        const char c = html[i];
        if (c == '<') {
            const std::size_t end = html.find('>', i);
            if (end == std::string_view::npos) break;
            const bool block_start = starts_with_ci(html, i, "<div") || starts_with_ci(html, i, "<p>") ||
                                     starts_with_ci(html, i, "<p ") || starts_with_ci(html, i, "<li");
            if (block_start && !out.empty() && out.back() != '\n')
                out += '\n';
            else if (starts_with_ci(html, i, "<br") || starts_with_ci(html, i, "</div") || starts_with_ci(html, i, "</p") ||
                starts_with_ci(html, i, "</li") || starts_with_ci(html, i, "<hr"))
                out += '\n';
            i = end + 1;
        } else if (c == '&') {
            if (auto decoded = decode_entity(html, i))
                out += *decoded;
            else
                out += html[i++];
        } else if (starts_with_ci(html, i, "[sound:")) {
            const std::size_t end = html.find(']', i);
            i = end == std::string_view::npos ? html.size() : end + 1;
        } else {
            out += c == '\r' ? '\n' : c;
            ++i;
        }
    }
    return tidy_lines(text::sanitize(out));
}

std::string anki_html_from_text(std::string_view text_in) {
    std::string out;
    for (char c : text::strip_marks(text::sanitize(text_in))) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\n': out += "<br>"; break;
            default: out += c;
        }
    }
    return out;
}

AnkiImport cards_from_anki(const std::vector<store::AnkiNote>& notes, const Exam& exam, const std::string& deck_id,
                           const std::string& fallback_domain) {
    AnkiImport out;
    std::set<std::string> objective_ids;
    for (const auto* o : exam.all_objectives()) objective_ids.insert(o->id);
    for (const auto& note : notes) {
        const std::string type = text::sanitize(note.note_type);
        if (note.cloze) {
            ++out.skipped["cloze note type '" + type + "'"];
            continue;
        }
        if (note.fields.size() != 2 || note.templates < 1 || note.templates > 2) {
            ++out.skipped["note type '" + type + "' (" + std::to_string(note.fields.size()) + " fields, " +
                          std::to_string(note.templates) + " cards per note) is not Basic or Basic-and-reversed"];
            continue;
        }
        const std::string front = text_from_anki_html(note.fields[0]), back = text_from_anki_html(note.fields[1]);
        if (front.empty() || back.empty()) {
            ++out.skipped["a field is empty once images and sounds are removed"];
            continue;
        }
        Card card;
        card.type = CardType::Flashcard;
        card.exam_id = exam.id;
        card.deck_id = deck_id;
        card.domain_id = fallback_domain;
        bool tagged_domain = false;
        for (const auto& tag : note.tags) {
            const std::string t = tag_id(tag);
            for (const auto& d : exam.domains)
                if (text::lower(t) == d.id) {
                    card.domain_id = d.id;
                    tagged_domain = true;
                }
            if (objective_ids.count(t) && std::find(card.topics.begin(), card.topics.end(), t) == card.topics.end())
                card.topics.push_back(t);
        }
        card.id = deck_id + ".n" + std::to_string(note.id);
        card.front = front;
        card.back = back;
        out.cards.push_back(card);
        if (!tagged_domain) ++out.default_domain_cards;
        if (note.templates == 2) {
            Card reversed = card;
            reversed.id += ".r";
            std::swap(reversed.front, reversed.back);
            out.cards.push_back(reversed);
            if (!tagged_domain) ++out.default_domain_cards;
        }
    }
    return out;
}

std::vector<store::AnkiExportNote> anki_notes_from(const std::vector<const Card*>& flashcards) {
    std::vector<store::AnkiExportNote> out;
    for (const Card* c : flashcards) {
        store::AnkiExportNote note;
        note.guid = "certdrill:" + c->id;
        note.front_html = anki_html_from_text(c->front);
        note.back_html = anki_html_from_text(c->back);
        note.tags = {"certdrill", tag_id(c->exam_id), tag_id(c->domain_id)};
        for (const auto& t : c->topics) note.tags.push_back(tag_id(t));
        out.push_back(std::move(note));
    }
    return out;
}

}  // namespace certdrill::app
