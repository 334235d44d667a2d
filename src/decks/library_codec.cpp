#include "decks/library_codec.hpp"

#include <utility>

#include "decks/byte_io.hpp"

namespace certdrill::decks {

// A new field in one of these structs changes its size: write and read it below, bump
// kLibraryCodecVersion, then update the size here. (Sizes of the 64-bit libstdc++ build; other
// standard libraries lay the structs out differently and skip the check.)
#if defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG) && __SIZEOF_POINTER__ == 8
static_assert(sizeof(Objective) == 88, "Objective changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Domain) == 104, "Domain changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Provenance) == 104, "Provenance changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(ExamFormat) == 496, "ExamFormat changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Outline) == 200, "Outline changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Exam) == 888, "Exam changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Option) == 72, "Option changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Card) == 392, "Card changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(DeckInfo) == 264, "DeckInfo changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(Diagnostic) == 176, "Diagnostic changed: update library_codec.cpp and kLibraryCodecVersion");
static_assert(sizeof(FileSummary) == 264, "FileSummary changed: update library_codec.cpp and kLibraryCodecVersion");
#endif

namespace {

// Blueprints nest objectives three deep at most (part, topic, subtopic); a deeper encoding is
// damaged, and is refused before it can exhaust the stack.
constexpr int kMaxObjectiveDepth = 8;

// The fewest bytes an encoded element can take: an empty string is its 4-byte length.
constexpr std::size_t kMinString = 4;

template <class T, class Write>
void write_list(ByteWriter& w, const std::vector<T>& items, Write write) {
    w.count(items.size());
    for (const auto& item : items) write(w, item);
}

template <class T, class Read>
void read_list(ByteReader& r, std::vector<T>& items, std::size_t min_bytes, Read read) {
    const std::size_t n = r.count(min_bytes);
    items.clear();
    items.reserve(n);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        T item;
        read(r, item);
        items.push_back(std::move(item));
    }
}

void write_string(ByteWriter& w, const std::string& s) { w.str(s); }
void read_string(ByteReader& r, std::string& s) { s = r.str(); }

void write_optional_int(ByteWriter& w, const std::optional<int>& v) {
    w.boolean(v.has_value());
    if (v) w.i32(*v);
}

std::optional<int> read_optional_int(ByteReader& r) {
    if (!r.boolean()) return std::nullopt;
    return r.i32();
}

// Enums travel as their underlying value, checked against the last one on the way back.
template <class E>
E read_enum(ByteReader& r, E last) {
    const std::uint8_t v = r.u8();
    if (v > static_cast<std::uint8_t>(last)) r.fail();
    return r.ok() ? static_cast<E>(v) : E{};
}

void write_objective(ByteWriter& w, const Objective& o) {
    w.str(o.id);
    w.str(o.name);
    write_list(w, o.children, write_objective);
}

void read_objective(ByteReader& r, Objective& o, int depth) {
    if (depth > kMaxObjectiveDepth) return r.fail();
    o.id = r.str();
    o.name = r.str();
    read_list(r, o.children, 3 * kMinString,
              [depth](ByteReader& in, Objective& child) { read_objective(in, child, depth + 1); });
}

void write_domain(ByteWriter& w, const Domain& d) {
    w.str(d.id);
    w.i32(d.number);
    w.str(d.name);
    w.f64(d.weight);
    write_list(w, d.objectives, write_objective);
}

void read_domain(ByteReader& r, Domain& d) {
    d.id = r.str();
    d.number = r.i32();
    d.name = r.str();
    d.weight = r.f64();
    read_list(r, d.objectives, 3 * kMinString, [](ByteReader& in, Objective& o) { read_objective(in, o, 1); });
}

void write_provenance(ByteWriter& w, const std::optional<Provenance>& p) {
    w.boolean(p.has_value());
    if (!p) return;
    w.str(p->source_url);
    w.str(p->checked);
    w.boolean(p->confirmed);
    w.str(p->notes);
}

std::optional<Provenance> read_provenance(ByteReader& r) {
    if (!r.boolean()) return std::nullopt;
    Provenance p;
    p.source_url = r.str();
    p.checked = r.str();
    p.confirmed = r.boolean();
    p.notes = r.str();
    return p;
}

void write_format(ByteWriter& w, const ExamFormat& f) {
    w.i32(f.items_min);
    w.i32(f.items_max);
    w.i32(f.minutes);
    write_optional_int(w, f.scale_min);
    write_optional_int(w, f.scale_max);
    write_optional_int(w, f.passing_score);
    w.f64(f.passing_percent);
    w.boolean(f.adaptive);
    w.boolean(f.revisit);
    w.boolean(f.open_book);
    w.str(f.notes);
    w.str(f.scoring.report);
    w.boolean(f.scoring.raw_cut_published);
    write_provenance(w, f.scoring.source);
    write_optional_int(w, f.navigation.skip_limit);
    write_provenance(w, f.navigation.source);
    w.i32(f.cat.pretest_items);
    w.f64(f.cat.confidence_percent);
    w.i32(f.cat.time_rule_items);
    write_provenance(w, f.cat.source);
}

void read_format(ByteReader& r, ExamFormat& f) {
    f.items_min = r.i32();
    f.items_max = r.i32();
    f.minutes = r.i32();
    f.scale_min = read_optional_int(r);
    f.scale_max = read_optional_int(r);
    f.passing_score = read_optional_int(r);
    f.passing_percent = r.f64();
    f.adaptive = r.boolean();
    f.revisit = r.boolean();
    f.open_book = r.boolean();
    f.notes = r.str();
    f.scoring.report = r.str();
    f.scoring.raw_cut_published = r.boolean();
    f.scoring.source = read_provenance(r);
    f.navigation.skip_limit = read_optional_int(r);
    f.navigation.source = read_provenance(r);
    f.cat.pretest_items = r.i32();
    f.cat.confidence_percent = r.f64();
    f.cat.time_rule_items = r.i32();
    f.cat.source = read_provenance(r);
}

void write_outline(ByteWriter& w, const Outline& o) {
    w.str(o.version);
    w.str(o.effective);
    w.str(o.retired);
    w.str(o.source_url);
    w.str(o.checked);
    w.boolean(o.confirmed);
    w.str(o.notes);
}

void read_outline(ByteReader& r, Outline& o) {
    o.version = r.str();
    o.effective = r.str();
    o.retired = r.str();
    o.source_url = r.str();
    o.checked = r.str();
    o.confirmed = r.boolean();
    o.notes = r.str();
}

void write_exam(ByteWriter& w, const Exam& e) {
    w.str(e.id);
    w.str(e.name);
    w.str(e.short_name);
    w.str(e.vendor);
    write_outline(w, e.outline);
    write_format(w, e.format);
    w.boolean(e.weighted);
    write_list(w, e.domains, write_domain);
    w.str(e.file);
}

void read_exam(ByteReader& r, Exam& e) {
    e.id = r.str();
    e.name = r.str();
    e.short_name = r.str();
    e.vendor = r.str();
    read_outline(r, e.outline);
    read_format(r, e.format);
    e.weighted = r.boolean();
    read_list(r, e.domains, 4 * kMinString, read_domain);
    e.file = r.str();
}

void write_option(ByteWriter& w, const Option& o) {
    w.str(o.text);
    w.str(o.reason);
    w.boolean(o.correct);
}

void read_option(ByteReader& r, Option& o) {
    o.text = r.str();
    o.reason = r.str();
    o.correct = r.boolean();
}

void write_card(ByteWriter& w, const Card& c) {
    w.str(c.id);
    w.u8(static_cast<std::uint8_t>(c.type));
    w.str(c.exam_id);
    w.str(c.domain_id);
    w.str(c.deck_id);
    write_list(w, c.topics, write_string);
    w.i32(c.difficulty);
    w.u8(static_cast<std::uint8_t>(c.skill));
    write_list(w, c.references, write_string);
    w.str(c.stem);
    write_list(w, c.options, write_option);
    w.i32(c.choose);
    w.str(c.explanation);
    w.str(c.front);
    w.str(c.back);
    w.str(c.file);
    w.i32(c.line);
    w.i32(c.column);
}

void read_card(ByteReader& r, Card& c) {
    c.id = r.str();
    c.type = read_enum(r, CardType::Flashcard);
    c.exam_id = r.str();
    c.domain_id = r.str();
    c.deck_id = r.str();
    read_list(r, c.topics, kMinString, read_string);
    c.difficulty = r.i32();
    c.skill = read_enum(r, Skill::Judgement);
    read_list(r, c.references, kMinString, read_string);
    c.stem = r.str();
    read_list(r, c.options, 2 * kMinString + 1, read_option);
    c.choose = r.i32();
    c.explanation = r.str();
    c.front = r.str();
    c.back = r.str();
    c.file = r.str();
    c.line = r.i32();
    c.column = r.i32();
}

void write_deck(ByteWriter& w, const DeckInfo& d) {
    for (const std::string* s : {&d.id, &d.title, &d.exam_id, &d.author, &d.version, &d.license, &d.description, &d.file})
        w.str(*s);
    w.u64(d.card_count);
}

void read_deck(ByteReader& r, DeckInfo& d) {
    for (std::string* s : {&d.id, &d.title, &d.exam_id, &d.author, &d.version, &d.license, &d.description, &d.file})
        *s = r.str();
    d.card_count = r.u64();
}

void write_diagnostic(ByteWriter& w, const Diagnostic& d) {
    w.str(d.file);
    w.i32(d.line);
    w.i32(d.column);
    w.u8(static_cast<std::uint8_t>(d.severity));
    w.str(d.card_id);
    w.str(d.pointer);
    w.str(d.message);
    w.str(d.hint);
}

void read_diagnostic(ByteReader& r, Diagnostic& d) {
    d.file = r.str();
    d.line = r.i32();
    d.column = r.i32();
    d.severity = read_enum(r, Severity::Warning);
    d.card_id = r.str();
    d.pointer = r.str();
    d.message = r.str();
    d.hint = r.str();
}

void write_counts(ByteWriter& w, const std::map<std::string, std::size_t>& counts) {
    w.count(counts.size());
    for (const auto& [name, n] : counts) {
        w.str(name);
        w.u64(n);
    }
}

void read_counts(ByteReader& r, std::map<std::string, std::size_t>& counts) {
    const std::size_t n = r.count(kMinString + 8);
    counts.clear();
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        std::string name = r.str();
        counts[std::move(name)] = r.u64();
    }
    if (counts.size() != n) r.fail();  // keys repeated: not what the encoder writes
}

void write_summary(ByteWriter& w, const FileSummary& s) {
    w.str(s.file);
    w.str(s.kind);
    w.str(s.id);
    w.str(s.exam_id);
    w.u64(s.cards);
    write_counts(w, s.by_type);
    write_counts(w, s.by_domain);
    w.u64(s.domains);
    w.u64(s.objectives);
    w.f64(s.weight_sum);
    w.boolean(s.weighted);
}

void read_summary(ByteReader& r, FileSummary& s) {
    s.file = r.str();
    s.kind = r.str();
    s.id = r.str();
    s.exam_id = r.str();
    s.cards = r.u64();
    read_counts(r, s.by_type);
    read_counts(r, s.by_domain);
    s.domains = r.u64();
    s.objectives = r.u64();
    s.weight_sum = r.f64();
    s.weighted = r.boolean();
}

}  // namespace

void encode_load_result(const LoadResult& result, ByteWriter& w) {
    write_list(w, result.library.exams, write_exam);
    write_list(w, result.library.decks, write_deck);
    write_list(w, result.library.cards, write_card);
    write_list(w, result.diagnostics.items, write_diagnostic);
    write_list(w, result.summaries, write_summary);
}

std::string encode_load_result(const LoadResult& result) {
    ByteWriter w;
    encode_load_result(result, w);
    return w.take();
}

std::optional<LoadResult> decode_load_result(std::string_view bytes) {
    ByteReader r(bytes);
    LoadResult result;
    read_list(r, result.library.exams, 8 * kMinString, read_exam);
    read_list(r, result.library.decks, 8 * kMinString + 8, read_deck);
    read_list(r, result.library.cards, 12 * kMinString, read_card);
    read_list(r, result.diagnostics.items, 6 * kMinString, read_diagnostic);
    read_list(r, result.summaries, 4 * kMinString, read_summary);
    if (!r.ok() || !r.at_end()) return std::nullopt;
    return result;
}

}  // namespace certdrill::decks
