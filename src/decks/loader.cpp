#include "decks/loader.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>
#include <unordered_map>

#include "core/text.hpp"
#include "decks/clean_deck.hpp"
#include "decks/json_document.hpp"
#include "decks/library_codec.hpp"
#include "decks/lint.hpp"
#include "decks/near_duplicates.hpp"
#include "decks/readers.hpp"
#include "decks/resolved_paths.hpp"

namespace certdrill::decks {

namespace fs = std::filesystem;

std::vector<fs::path> collect_deck_files(const std::vector<fs::path>& paths, Diagnostics& diagnostics) {
    std::vector<fs::path> files;
    for (const auto& path : paths) {
        std::error_code ec;
        auto status = fs::status(path, ec);
        if (!fs::exists(status)) {
            // ENOENT, or what else stopped the lookup: a loop of links, a name too long...
            const std::string why = !ec || ec == std::errc::no_such_file_or_directory ? "no such file or directory"
                                                                                        : "cannot open: " + ec.message();
            diagnostics.add({path.string(), 0, 0, Severity::Error, {}, {}, why, "check the path"});
            continue;
        }
        if (fs::is_regular_file(status)) {
            files.push_back(path);
            continue;
        }
        if (!fs::is_directory(status)) {
            // A pipe or a device would be read until its writer stops, which may be never.
            diagnostics.add({path.string(), 0, 0, Severity::Error, {}, {},
                             "not a regular file (a pipe, socket or device); decks are read from files",
                             "give a deck file or a directory of decks"});
            continue;
        }
        std::vector<fs::path> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const auto name = it->path().filename().string();
            if (!name.empty() && name[0] == '.') {
                if (it->is_directory(ec)) it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file(ec) && it->path().extension() == ".json") found.push_back(it->path());
        }
        if (ec)
            diagnostics.add({path.string(),
                             0,
                             0,
                             Severity::Error,
                             {},
                             {},
                             "cannot list directory: " + ec.message(),
                             "check its permissions"});
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

namespace {

struct ParsedFile {
    std::string name;
    bool report = true;  // false for context files
    std::optional<JsonDocument> doc;
    std::string kind;
    FileSummary summary;
};

// Reads a file whole, refusing what cannot be a deck before parsing it.
std::optional<std::string> read_text(const fs::path& path, FileReporter& r) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) {
        r.file_error("cannot read file: " + ec.message(), "check that it exists and is readable");
        return std::nullopt;
    }
    if (size > kMaxDeckFileBytes) {
        r.file_error("file is " + std::to_string(size / (1024 * 1024)) + " MB; decks are limited to " +
                         std::to_string(kMaxDeckFileBytes / (1024 * 1024)) + " MB",
                     "split it into several decks");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        r.file_error("cannot open file", "check that it is readable");
        return std::nullopt;
    }
    // Read in one call at the size the file had; whatever it gained since is read in pieces, up
    // to the limit. A failing read sets badbit (it does not throw), checked below.
    std::string text;
    text.reserve(static_cast<std::size_t>(size) + kCleanDeckPadding);  // the clean-deck reader's room
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    char piece[64 * 1024];
    while (in && text.size() <= kMaxDeckFileBytes) {
        in.read(piece, sizeof piece);
        text.append(piece, static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    }
    if (in.bad()) {
        r.file_error("cannot read file: a read failed part way", "check the disk and that the file is readable");
        return std::nullopt;
    }
    if (text.size() > kMaxDeckFileBytes) {
        r.file_error("file grew past " + std::to_string(kMaxDeckFileBytes / (1024 * 1024)) +
                         " MB while it was read; decks are limited to that",
                     "split it into several decks");
        return std::nullopt;
    }
    if (text.find('\0') != std::string::npos) {
        r.file_error("file is binary, not JSON text (it contains NUL bytes)", "check that this is a deck file");
        return std::nullopt;
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        r.file_error("file is empty", "a deck starts with {\"format_version\": 1, \"kind\": \"deck\", ...}");
        return std::nullopt;
    }
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // UTF-8 byte order mark
    return text;
}

// Checks the envelope shared by both kinds and returns the kind ("exam" or "deck").
std::string read_kind(const Json& root, FileReporter& r) {
    if (!root.is_object()) {
        r.error("", "the file must hold a JSON object, not " + describe(root),
                "start it with {\"format_version\": 1, ...}");
        return {};
    }
    auto version = root.find("format_version");
    if (version == root.end()) {
        r.error("", "missing 'format_version'", "add \"format_version\": 1");
    } else if (!version->is_number_integer() || version->get<long long>() != 1) {
        r.error("/format_version",
                "unsupported format_version " + (version->is_number() ? version->dump() : describe(*version)) +
                    ": this certdrill reads version 1",
                "use \"format_version\": 1, or update certdrill");
        return {};
    }
    auto kind = root.find("kind");
    if (kind == root.end()) {
        r.error("", "missing 'kind'", "add \"kind\": \"deck\" or \"kind\": \"exam\"");
        return {};
    }
    if (!kind->is_string() || (*kind != "deck" && *kind != "exam")) {
        std::string k = kind->is_string() ? kind->get<std::string>() : describe(*kind);
        std::string hint = did_you_mean(k, {"deck", "exam"});
        r.error("/kind", "unknown kind '" + text::sanitize(k) + "'", hint.empty() ? "use \"deck\" or \"exam\"" : hint);
        return {};
    }
    return kind->get<std::string>();
}

// The kind a file declares ("exam", "deck", ...), read from the text without parsing it: the
// value of the first "kind" member of the top-level object. Empty when none is found before the
// text stops looking like JSON. Only decides which files are read first; parse_file decides
// what a file is.
std::string declared_kind(std::string_view text) {
    int depth = 0;
    bool expect_key = false;
    std::string_view key;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            std::size_t end = i + 1;
            while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
            if (end >= text.size()) return {};
            const std::string_view value = text.substr(i + 1, end - i - 1);
            if (depth == 1 && expect_key) {
                key = value;
                expect_key = false;
            } else if (depth == 1 && key == "kind") {
                return std::string(value);
            }
            i = end;
        } else if (c == '{' || c == '[') {
            ++depth;
            if (depth == 1) expect_key = c == '{';
        } else if (c == '}' || c == ']') {
            if (--depth <= 0) return {};
        } else if (c == ',' && depth == 1) {
            expect_key = true;
            key = {};
        }
    }
    return {};
}

// The start of a file, enough to find the kind it declares; empty when it cannot be read
// (parse_file reports that).
std::string file_start(const fs::path& path) {
    constexpr std::size_t kStart = 4096;
    std::string text(kStart, '\0');
    std::ifstream in(path, std::ios::binary);
    in.read(text.data(), static_cast<std::streamsize>(kStart));
    text.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    return text;
}

// The text of a file, or nothing when it cannot be a deck (reported).
std::optional<std::string> read_file_text(const ParsedFile& f, Diagnostics& diags) {
    JsonDocument empty = JsonDocument::parse("{}");
    FileReporter pre(f.name, empty, diags, !f.report);
    return read_text(f.name, pre);
}

// Parses the text into f.doc with the checking parser, reporting syntax errors and repeated keys,
// and reads the kind the file says it is.
void parse_text(ParsedFile& f, std::string text, Diagnostics& diags) {
    f.doc = JsonDocument::parse(std::move(text));
    FileReporter r(f.name, *f.doc, diags, !f.report);
    if (const auto& err = f.doc->syntax_error()) {
        TextPosition pos = f.doc->position_at(err->offset);
        if (f.report) diags.add({f.name, pos.line, pos.column, Severity::Error, {}, {}, err->message, err->hint});
        f.doc.reset();
        return;
    }
    for (const auto& dup : f.doc->duplicate_keys()) {
        TextPosition pos = f.doc->position_at(dup.offset);
        if (f.report)
            diags.add({f.name, pos.line, pos.column, Severity::Error, {}, dup.pointer, dup.message, dup.hint});
    }
    f.kind = read_kind(f.doc->root(), r);
    f.summary.kind = f.kind;
}

void parse_file(ParsedFile& f, Diagnostics& diags) {
    if (auto text = read_file_text(f, diags)) parse_text(f, std::move(*text), diags);
}

// Whether `lint` would warn of anything in a deck read by the clean-deck reader.
bool lint_finds_something(const DeckContent& content, const std::string& file) {
    Diagnostics none;
    const JsonDocument no_document;
    FileReporter probe(file, no_document, none, true);
    QualifierStyles styles;
    for (std::size_t i = 0; i < content.cards.size(); ++i)
        lint_card(content.cards[i], child(std::string("/cards"), i), probe, styles);
    lint_qualifier_styles(styles, probe);
    return probe.errors() > 0 || probe.warnings() > 0;
}

void report_at(Diagnostics& diags, bool report, const Card& card, Severity s, std::string message, std::string hint) {
    if (!report) return;
    diags.add({card.file, card.line, card.column, s, card.id, {}, std::move(message), std::move(hint)});
}

// Compared within each exam only: an item may deliberately serve two exams.
void check_near_duplicate_stems(const std::vector<Card>& cards, const std::set<std::string>& reported_files,
                                Diagnostics& diags) {
    std::map<std::string, std::vector<const Card*>> by_exam;
    for (const auto& c : cards)
        if (c.is_question()) by_exam[c.exam_id].push_back(&c);
    for (const auto& [exam, owners] : by_exam) {
        std::vector<std::string_view> stems;  // views of the cards' own stems, not copies
        stems.reserve(owners.size());
        for (const Card* c : owners) stems.push_back(c->stem);
        for (const auto& [a, b] : near_duplicates(stems)) {
            const Card& later = *owners[b];
            const Card& earlier = *owners[a];
            if (!reported_files.count(later.file) && !reported_files.count(earlier.file)) continue;
            const Card& shown = reported_files.count(later.file) ? later : earlier;
            const Card& other = &shown == &later ? earlier : later;
            report_at(diags, true, shown, Severity::Warning,
                      "stem is nearly the same as card '" + other.id + "' (" + other.file + ":" +
                          std::to_string(other.line) + ")",
                      "reword one of them, or remove the duplicate");
        }
    }
}

}  // namespace

LoadResult load_files(const std::vector<fs::path>& files, const LoadOptions& options, LoadCounts* counts) {
    LoadResult result;
    Diagnostics& diags = result.diagnostics;

    std::vector<ParsedFile> parsed;
    std::set<std::string> seen;
    ResolvedPaths resolve;
    auto add = [&](const fs::path& p, bool report) {
        if (!seen.insert(resolve(p).value_or(p.string())).second) return;
        ParsedFile f;
        f.name = p.string();
        f.report = report;
        f.summary.file = f.name;
        parsed.push_back(std::move(f));
    };
    for (const auto& p : files) add(p, true);
    for (const auto& p : options.context_files) add(p, false);

    // Blueprints first: decks refer to them. Each document is dropped as soon as it has been
    // read, so a large collection of decks is never in memory as JSON all at once: every file
    // but those that say first that they are decks is parsed in a first pass, the decks after.
    std::map<std::string, std::string> exam_files;
    std::vector<Exam> exams;
    std::vector<bool> parsed_early(parsed.size(), false);
    auto read_blueprint = [&](ParsedFile& f) {
        FileReporter r(f.name, *f.doc, diags, !f.report);
        auto exam = read_exam(f.doc->root(), r, f.summary);
        if (!exam) return;
        if (auto [it, inserted] = exam_files.emplace(exam->id, f.name); !inserted) {
            r.error("/id", "exam id '" + exam->id + "' is also defined in " + it->second,
                    "each exam has one blueprint");
            return;
        }
        exams.push_back(std::move(*exam));
    };
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        ParsedFile& f = parsed[i];
        if (declared_kind(file_start(f.name)) == "deck") continue;  // read in the second pass
        parsed_early[i] = true;
        parse_file(f, diags);
        if (f.doc && f.kind == "exam") read_blueprint(f);
        if (f.kind != "deck") f.doc.reset();  // a deck that did not say so first keeps its document
    }
    std::vector<const Exam*> exam_ptrs;
    for (const auto& e : exams) exam_ptrs.push_back(&e);

    std::map<std::string, std::string> deck_files;
    std::set<std::string> reported_files;
    std::vector<std::vector<Card>> deck_cards;
    std::vector<DeckInfo> decks;
    std::vector<CardPlace> places;
    auto clean_reader = std::make_unique<CleanDeckReader>();
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        ParsedFile& f = parsed[i];
        if (f.report) reported_files.insert(f.name);
        // A file that first says it is a deck is one here, unless it repeats "kind" (an error
        // reported by parse_file); its last "kind" is then not read as a blueprint. Such a file
        // is read by the clean-deck reader first, and through the checking parser only when that
        // finds anything to report (or lint would).
        std::optional<DeckContent> clean;
        std::optional<std::string> text;
        if (!parsed_early[i]) {
            text = read_file_text(f, diags);
            if (!text) continue;
            if (options.fast_read) {
                FileSummary summary = f.summary;
                // Lint reads every text of a card.
                clean = clean_reader->read(*text, f.name, exam_ptrs, summary, options.keep_card_texts || options.lint);
                if (clean && options.lint && lint_finds_something(*clean, f.name)) clean.reset();
                if (clean) {
                    f.kind = "deck";
                    f.summary = std::move(summary);
                    if (counts) ++counts->decks_read_fast;
                }
            }
            if (!clean) parse_text(f, std::move(*text), diags);
        }
        if (!clean && (!f.doc || f.kind != "deck")) {
            f.doc.reset();
            continue;
        }
        DeckContent content;
        if (clean) {
            content = std::move(*clean);
        } else {
            FileReporter r(f.name, *f.doc, diags, !f.report);
            content = read_deck(f.doc->root(), r, f.summary, exam_ptrs, options.lint);
        }
        if (content.header_ok) {
            if (auto [it, inserted] = deck_files.emplace(content.info.id, f.name); !inserted) {
                // A clean deck has no document yet: the message names where its id is.
                if (!f.doc) f.doc = JsonDocument::parse(std::move(*text));
                FileReporter r(f.name, *f.doc, diags, !f.report);
                r.error("/id", "deck id '" + content.info.id + "' is also used by " + it->second,
                        "give each deck its own id");
                content.header_ok = false;
            }
        }
        f.doc.reset();
        if (!content.header_ok) continue;
        places.insert(places.end(), std::make_move_iterator(content.places.begin()),
                      std::make_move_iterator(content.places.end()));
        decks.push_back(std::move(content.info));
        deck_cards.push_back(std::move(content.cards));
    }
    clean_reader.reset();  // its buffers are not needed past the deck files
    // Each card is moved once, into room reserved for all of them.
    std::size_t card_count = 0;
    for (const auto& d : deck_cards) card_count += d.size();
    std::vector<Card> cards;
    cards.reserve(card_count);
    for (auto& d : deck_cards) {
        cards.insert(cards.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
        std::vector<Card>().swap(d);
    }

    // Card ids are unique across every deck: progress is keyed by them. Cards with other errors
    // still claim their id, so a clash is reported even while one of the two is broken.
    // A later duplicate is known by where it starts: line and column, since a deck written on one
    // line has every card on line 1.
    std::set<std::tuple<std::string, int, int>> clashing;
    {
        std::unordered_map<std::string_view, const CardPlace*> first_place;  // views of the places' ids
        first_place.reserve(places.size());
        for (const auto& place : places) {
            auto [it, inserted] = first_place.emplace(place.id, &place);
            if (inserted) continue;
            clashing.emplace(place.file, place.line, place.column);
            if (!reported_files.count(place.file)) continue;
            const CardPlace& first = *it->second;
            diags.add({place.file, place.line, place.column, Severity::Error, text::sanitize(place.id), place.pointer,
                       "duplicate card id: already defined at " + first.file + ":" + std::to_string(first.line) +
                           ":" + std::to_string(first.column),
                       "give this card a new id; never reuse an id, since progress is stored by it"});
        }
    }
    std::vector<CardPlace>().swap(places);  // its memory serves the near-duplicate check
    // The cards whose id clashes are left out, in place: the rest keep their order.
    const auto clashes = [&](const Card& c) {
        return !clashing.empty() && clashing.count({c.file, c.line, c.column}) > 0;
    };
    for (const auto& c : cards) {
        if (!clashes(c)) continue;
        for (auto& f : parsed) {
            if (f.name != c.file) continue;
            --f.summary.cards;
            if (--f.summary.by_type[to_string(c.type)] == 0) f.summary.by_type.erase(to_string(c.type));
            if (--f.summary.by_domain[c.domain_id] == 0) f.summary.by_domain.erase(c.domain_id);
        }
    }
    cards.erase(std::remove_if(cards.begin(), cards.end(), clashes), cards.end());
    if (options.near_duplicate_warnings) check_near_duplicate_stems(cards, reported_files, diags);

    for (auto& f : parsed)
        if (f.report) result.summaries.push_back(f.summary);
    result.library.exams = std::move(exams);
    result.library.decks = std::move(decks);
    result.library.cards = std::move(cards);
    // The same library whichever reader read each file.
    if (!options.keep_card_texts) leave_out_card_texts(result.library);
    // Diagnostics in file order, then line order, so each file's problems read top to bottom.
    std::map<std::string, std::size_t> file_order;
    for (std::size_t i = 0; i < parsed.size(); ++i) file_order.emplace(parsed[i].name, i);
    std::stable_sort(diags.items.begin(), diags.items.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        auto fa = file_order.count(a.file) ? file_order[a.file] : 0,
             fb = file_order.count(b.file) ? file_order[b.file] : 0;
        if (fa != fb) return fa < fb;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return result;
}

std::string summary_line(const FileSummary& s, std::size_t errors, std::size_t warnings) {
    std::ostringstream out;
    out << s.file << ": " << (errors ? "FAILED" : "ok");
    if (errors) out << " (" << errors << (errors == 1 ? " error" : " errors");
    if (warnings) out << (errors ? ", " : " (") << warnings << (warnings == 1 ? " warning" : " warnings");
    if (errors || warnings) out << ")";
    if (s.kind == "exam") {
        out << ": exam " << s.id << ": " << s.domains << " domains, " << s.objectives << " objectives";
        if (s.weighted)
            out << ", weights " << s.weight_sum << "%";
        else
            out << ", unweighted";
    } else if (s.kind == "deck") {
        out << ": deck " << s.id << " (" << s.exam_id << "): " << s.cards << (s.cards == 1 ? " card" : " cards");
        std::string sep = ": ";
        for (const char* t : {"single", "multi", "flashcard"}) {
            auto it = s.by_type.find(t);
            if (it == s.by_type.end()) continue;
            out << sep << it->second << ' ' << t;
            sep = ", ";
        }
        sep = "; ";
        for (const auto& [domain, n] : s.by_domain) {
            out << sep << domain << ' ' << n;
            sep = ", ";
        }
    }
    return on_one_line(out.str());
}

}  // namespace certdrill::decks
