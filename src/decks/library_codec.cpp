#include "decks/library_codec.hpp"

#include <concepts>
#include <map>
#include <type_traits>
#include <utility>

#include "decks/byte_io.hpp"

namespace certdrill::decks {

// A new field in one of these structs changes its size: name it in its fields() below, bump
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

// Each struct names its fields once, in encoding order; the encoder, the decoder and the
// minimum-size count all walk the same list, so writing and reading cannot drift apart.
// `S` is the struct, const when encoding.
template <class S, class T>
concept either = std::same_as<std::remove_const_t<S>, T>;

template <class Io, class... Field>
void each(Io& io, Field&&... field) {
    (io(std::forward<Field>(field)), ...);
}

// A card's text (or list of texts): encoded as any other value, left out by a decoder asked for
// CardTexts::LeftOut.
template <class T>
struct CardText {
    T& value;
};
template <class T>
CardText<T> card_text(T& value) {
    return {value};
}

template <class Io, either<Objective> S>
void fields(Io& io, S& o) {
    each(io, o.id, o.name, o.children);
}

template <class Io, either<Domain> S>
void fields(Io& io, S& d) {
    each(io, d.id, d.number, d.name, d.weight, d.objectives);
}

template <class Io, either<Provenance> S>
void fields(Io& io, S& p) {
    each(io, p.source_url, p.checked, p.confirmed, p.notes);
}

template <class Io, either<ScoringRule> S>
void fields(Io& io, S& s) {
    each(io, s.report, s.raw_cut_published, s.source);
}

template <class Io, either<NavigationRule> S>
void fields(Io& io, S& n) {
    each(io, n.skip_limit, n.source);
}

template <class Io, either<AdaptiveRule> S>
void fields(Io& io, S& a) {
    each(io, a.pretest_items, a.confidence_percent, a.time_rule_items, a.source);
}

template <class Io, either<ExamFormat> S>
void fields(Io& io, S& f) {
    each(io, f.items_min, f.items_max, f.minutes, f.scale_min, f.scale_max, f.passing_score, f.passing_percent,
         f.adaptive, f.revisit, f.open_book, f.notes, f.scoring, f.navigation, f.cat);
}

template <class Io, either<Outline> S>
void fields(Io& io, S& o) {
    each(io, o.version, o.effective, o.retired, o.source_url, o.checked, o.confirmed, o.notes);
}

template <class Io, either<Exam> S>
void fields(Io& io, S& e) {
    each(io, e.id, e.name, e.short_name, e.vendor, e.outline, e.format, e.weighted, e.domains, e.file);
}

template <class Io, either<Option> S>
void fields(Io& io, S& o) {
    each(io, card_text(o.text), card_text(o.reason), o.correct);
}

template <class Io, either<Card> S>
void fields(Io& io, S& c) {
    each(io, c.id, c.type, c.exam_id, c.domain_id, c.deck_id, c.topics, c.difficulty, c.skill, card_text(c.references),
         card_text(c.stem), c.options, c.choose, card_text(c.explanation), card_text(c.front), card_text(c.back), c.file,
         c.line, c.column);
}

template <class Io, either<DeckInfo> S>
void fields(Io& io, S& d) {
    each(io, d.id, d.title, d.exam_id, d.author, d.version, d.license, d.description, d.file, d.card_count);
}

template <class Io, either<Library> S>
void fields(Io& io, S& l) {
    each(io, l.exams, l.decks, l.cards);
}

template <class Io, either<Diagnostic> S>
void fields(Io& io, S& d) {
    each(io, d.file, d.line, d.column, d.severity, d.card_id, d.pointer, d.message, d.hint);
}

template <class Io, either<FileSummary> S>
void fields(Io& io, S& s) {
    each(io, s.file, s.kind, s.id, s.exam_id, s.cards, s.by_type, s.by_domain, s.domains, s.objectives, s.weight_sum,
         s.weighted);
}

template <class Io, either<LoadResult> S>
void fields(Io& io, S& r) {
    each(io, r.library, r.diagnostics.items, r.summaries);
}

// The last value of each encoded enum: a larger one read back is damage.
constexpr CardType last_value(CardType) { return CardType::Flashcard; }
constexpr Skill last_value(Skill) { return Skill::Judgement; }
constexpr Severity last_value(Severity) { return Severity::Warning; }

template <class T>
concept Enum = std::is_enum_v<T>;

template <class T>
concept Record = std::is_class_v<T> && requires(T& x, int& io) {
    fields(io, x);
};

using Counts = std::map<std::string, std::size_t>;

// Values travel as: strings, vectors and maps with a 32-bit count first; int as 32 bits, size_t
// as 64, double by its bits, bool and enums as one byte, an optional as a bool and then the value.
class Encoder {
public:
    explicit Encoder(ByteWriter& out) : out_(out) {}

    void operator()(const std::string& s) { out_.str(s); }
    void operator()(bool b) { out_.boolean(b); }
    void operator()(int v) { out_.i32(v); }
    void operator()(std::size_t v) { out_.u64(v); }
    void operator()(double v) { out_.f64(v); }
    template <Enum E>
    void operator()(E e) {
        out_.u8(static_cast<std::uint8_t>(e));
    }
    template <class T>
    void operator()(const std::optional<T>& v) {
        (*this)(v.has_value());
        if (v) (*this)(*v);
    }
    template <class T>
    void operator()(const std::vector<T>& items) {
        out_.count(items.size());
        for (const auto& item : items) (*this)(item);
    }
    void operator()(const Counts& counts) {
        out_.count(counts.size());
        for (const auto& [name, n] : counts) (*this)(name), (*this)(n);
    }
    template <Record T>
    void operator()(const T& record) {
        fields(*this, record);
    }
    template <class T>
    void operator()(CardText<T> text) {
        (*this)(text.value);
    }

private:
    ByteWriter& out_;
};

// The fewest bytes a value of each type encodes to: a count in the input that the rest of it
// cannot hold is refused before anything is reserved for it.
class MinimumSize {
public:
    std::size_t bytes = 0;

    void operator()(const std::string&) { bytes += 4; }
    void operator()(bool) { bytes += 1; }
    void operator()(int) { bytes += 4; }
    void operator()(std::size_t) { bytes += 8; }
    void operator()(double) { bytes += 8; }
    template <Enum E>
    void operator()(E) {
        bytes += 1;
    }
    template <class T>
    void operator()(const std::optional<T>&) {
        bytes += 1;
    }
    template <class T>
    void operator()(const std::vector<T>&) {
        bytes += 4;
    }
    void operator()(const Counts&) { bytes += 4; }
    template <Record T>
    void operator()(const T& record) {
        fields(*this, record);
    }
    template <class T>
    void operator()(CardText<T> text) {
        (*this)(text.value);
    }
};

template <class T>
std::size_t minimum_size() {
    static const std::size_t size = [] {
        MinimumSize m;
        m(T{});
        return m.bytes;
    }();
    return size;
}

class Decoder {
public:
    Decoder(ByteReader& in, CardTexts texts) : in_(in), texts_(texts) {}

    void operator()(std::string& s) { s = in_.str(); }
    void operator()(bool& b) { b = in_.boolean(); }
    void operator()(int& v) { v = in_.i32(); }
    void operator()(std::size_t& v) { v = in_.u64(); }
    void operator()(double& v) { v = in_.f64(); }
    template <Enum E>
    void operator()(E& e) {
        const std::uint8_t v = in_.u8();
        if (v > static_cast<std::uint8_t>(last_value(E{}))) in_.fail();
        e = in_.ok() ? static_cast<E>(v) : E{};
    }
    template <class T>
    void operator()(std::optional<T>& v) {
        v.reset();
        if (!in_.boolean()) return;
        T value{};
        (*this)(value);
        v = std::move(value);
    }
    template <class T>
    void operator()(std::vector<T>& items) {
        const std::size_t n = in_.count(minimum_size<T>());
        items.clear();
        items.reserve(n);
        for (std::size_t i = 0; i < n && in_.ok(); ++i) (*this)(items.emplace_back());
    }
    void operator()(Counts& counts) {
        const std::size_t n = in_.count(minimum_size<std::string>() + minimum_size<std::size_t>());
        counts.clear();
        for (std::size_t i = 0; i < n && in_.ok(); ++i) {
            std::string name = in_.str();
            counts[std::move(name)] = in_.u64();
        }
        if (counts.size() != n) in_.fail();  // a name repeated: not what the encoder writes
    }
    template <Record T>
    void operator()(T& record) {
        // Blueprints nest objectives three deep; an encoding nested far deeper is damaged, and
        // is refused before it can exhaust the stack.
        if (++depth_ > kMaxDepth) in_.fail();
        if (in_.ok()) fields(*this, record);
        --depth_;
    }
    void operator()(CardText<std::string> text) {
        if (texts_ == CardTexts::Kept)
            (*this)(text.value);
        else
            in_.view();  // read past it, as checked as a kept one, without a copy
    }
    void operator()(CardText<std::vector<std::string>> texts) {
        if (texts_ == CardTexts::Kept) return (*this)(texts.value);
        const std::size_t n = in_.count(minimum_size<std::string>());
        for (std::size_t i = 0; i < n && in_.ok(); ++i) in_.view();
    }

private:
    static constexpr int kMaxDepth = 16;
    ByteReader& in_;
    CardTexts texts_;
    int depth_ = 0;
};

}  // namespace

void encode_load_result(const LoadResult& result, ByteWriter& out) {
    Encoder encode(out);
    encode(result);
}

std::string encode_load_result(const LoadResult& result) {
    ByteWriter out;
    encode_load_result(result, out);
    return out.take();
}

std::optional<LoadResult> decode_load_result(std::string_view bytes, CardTexts texts) {
    ByteReader in(bytes);
    Decoder decode(in, texts);
    LoadResult result;
    decode(result);
    if (!in.ok() || !in.at_end()) return std::nullopt;
    return result;
}

void leave_out_texts(Card& card) {
    // Swapped with empty ones rather than cleared, so that their memory is given back.
    const auto release = [](std::string& s) { std::string().swap(s); };
    std::vector<std::string>().swap(card.references);
    release(card.stem);
    release(card.explanation);
    release(card.front);
    release(card.back);
    for (auto& option : card.options) {
        release(option.text);
        release(option.reason);
    }
}

void leave_out_card_texts(Library& library) {
    for (auto& card : library.cards) leave_out_texts(card);
}

}  // namespace certdrill::decks
