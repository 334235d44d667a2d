#include "decks/clean_deck.hpp"

// The only file that includes simdjson: its header is large.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "decks/card_rules.hpp"
#include "decks/library_codec.hpp"

namespace certdrill::decks {

static_assert(kCleanDeckPadding >= simdjson::SIMDJSON_PADDING, "simdjson reads up to this far past the text");

namespace sj = simdjson::ondemand;
using simdjson::SUCCESS;

namespace {

// Line and column of offsets met in increasing order, counted as JsonDocument::position_at counts
// them: lines from 1, columns in code points from 1.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : text_(text) {}

    void at(std::size_t offset, int& line, int& column) {
        const char* p = text_.data() + offset_;
        const char* end = text_.data() + offset;
        while (const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
            ++line_;
            p = static_cast<const char*>(found) + 1;
            code_points_ = 0;
        }
        for (; p < end; ++p)
            if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) ++code_points_;
        offset_ = offset;
        line = line_;
        column = static_cast<int>(code_points_) + 1;
    }

private:
    std::string_view text_;
    std::size_t offset_ = 0;       // where the count stands
    std::size_t code_points_ = 0;  // from the start of that line to offset_
    int line_ = 1;
};

bool read_string(sj::value& v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s) != SUCCESS) return false;
    out.assign(s);
    return true;
}

// A plain non-negative integer of up to nine digits. Whatever else the checking reader may take
// for an integer (a sign, a large number) is left to it.
bool read_small_integer(sj::value& v, long long& out) {
    std::string_view token = v.raw_json_token();
    std::int64_t n = 0;
    if (v.get_int64().get(n) != SUCCESS) return false;
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' || token.back() == '\r'))
        token.remove_suffix(1);
    if (token.empty() || token.size() > 9) return false;
    if (!std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    out = n;
    return true;
}

template <class Each>
bool for_each_element(sj::value& v, Each&& each) {
    sj::array array;
    if (v.get_array().get(array) != SUCCESS) return false;
    for (auto element : array) {
        sj::value item;
        if (std::move(element).get(item) != SUCCESS || !each(item)) return false;
    }
    return true;
}

// Calls each(index of the key in `names`, value) for every member; false for an unknown or
// repeated key.
template <std::size_t N, class Each>
bool for_each_member(sj::object& object, const std::string_view (&names)[N], unsigned& seen, Each&& each) {
    static_assert(N <= 32);
    for (auto member : object) {
        sj::field field;
        std::string_view key;
        if (std::move(member).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS) return false;
        const auto* name = std::find(std::begin(names), std::end(names), key);
        if (name == std::end(names)) return false;
        const unsigned bit = 1u << (name - std::begin(names));
        if (seen & bit) return false;
        seen |= bit;
        if (!each(static_cast<std::size_t>(name - std::begin(names)), field.value())) return false;
    }
    return true;
}

bool read_list(sj::value& v, std::vector<std::string>& out) {
    return for_each_element(v, [&](sj::value& item) {
        std::string entry;
        if (!read_string(item, entry) || !is_clean_list_entry(entry)) return false;
        if (std::find(out.begin(), out.end(), entry) != out.end()) return false;
        out.push_back(std::move(entry));
        return true;
    });
}

enum CardField : std::size_t {
    kId,
    kType,
    kDomain,
    kTopics,
    kDifficulty,
    kSkill,
    kReferences,
    kStem,
    kOptions,
    kAnswer,
    kExplanation,
    kChoose,
    kFront,
    kBack
};
constexpr std::string_view kCardFields[] = {"id",    "type",    "domain", "topics",      "difficulty",
                                            "skill", "references", "stem", "options", "answer",
                                            "explanation", "choose", "front", "back"};
constexpr unsigned bit(CardField f) { return 1u << f; }
constexpr unsigned kQuestionFields = bit(kId) | bit(kType) | bit(kDomain) | bit(kTopics) | bit(kDifficulty) |
                                     bit(kSkill) | bit(kReferences) | bit(kStem) | bit(kOptions) | bit(kAnswer) |
                                     bit(kExplanation) | bit(kChoose);
constexpr unsigned kSingleFields = kQuestionFields & ~bit(kChoose);  // "choose" is for multi cards
constexpr unsigned kQuestionRequired = bit(kId) | bit(kType) | bit(kDomain) | bit(kStem) | bit(kOptions) |
                                       bit(kAnswer) | bit(kExplanation);  // a missing explanation is warned of
constexpr unsigned kFlashcardFields =
    bit(kId) | bit(kType) | bit(kDomain) | bit(kTopics) | bit(kDifficulty) | bit(kReferences) | bit(kFront) | bit(kBack);
constexpr unsigned kFlashcardRequired = bit(kId) | bit(kType) | bit(kDomain) | bit(kFront) | bit(kBack);

// A card as read, before the checks that need all of its fields and the exam.
struct CardDraft {
    Card card;
    unsigned fields = 0;
    std::string type;
    long long difficulty = 0;
    long long choose = 0;
    std::string skill;
    std::vector<std::string> answer;
    bool answer_is_list = false;
};

bool read_options(sj::value& v, std::vector<Option>& options) {
    return for_each_element(v, [&](sj::value& item) {
        constexpr std::string_view kNames[] = {"text", "reason"};
        sj::object object;
        if (item.get_object().get(object) != SUCCESS) return false;
        Option option;
        unsigned seen = 0;
        const bool ok = for_each_member(object, kNames, seen, [&](std::size_t field, sj::value& value) {
            std::string& out = field == 0 ? option.text : option.reason;
            return read_string(value, out) && is_clean_text(out);
        });
        if (!ok || !(seen & 1u)) return false;
        options.push_back(std::move(option));
        return true;
    });
}

bool read_answer(sj::value& v, CardDraft& draft) {
    sj::json_type type;
    if (v.type().get(type) != SUCCESS) return false;
    if (type == sj::json_type::string) {
        draft.answer.emplace_back();
        return read_string(v, draft.answer.back());
    }
    draft.answer_is_list = true;
    return for_each_element(v, [&](sj::value& item) {
        draft.answer.emplace_back();
        return read_string(item, draft.answer.back());
    });
}

bool read_card_fields(sj::value& v, CardDraft& draft) {
    sj::object object;
    if (v.get_object().get(object) != SUCCESS) return false;
    Card& card = draft.card;
    return for_each_member(object, kCardFields, draft.fields, [&](std::size_t field, sj::value& value) {
        switch (static_cast<CardField>(field)) {
            case kId:
                return read_string(value, card.id);
            case kType:
                return read_string(value, draft.type);
            case kDomain:
                return read_string(value, card.domain_id);
            case kTopics:
                return read_list(value, card.topics);
            case kDifficulty:
                return read_small_integer(value, draft.difficulty);
            case kSkill:
                return read_string(value, draft.skill);
            case kReferences:
                return read_list(value, card.references);
            case kStem:
                return read_string(value, card.stem);
            case kOptions:
                return read_options(value, card.options);
            case kAnswer:
                return read_answer(value, draft);
            case kExplanation:
                return read_string(value, card.explanation);
            case kChoose:
                return read_small_integer(value, draft.choose);
            case kFront:
                return read_string(value, card.front);
            case kBack:
                return read_string(value, card.back);
        }
        return false;
    });
}

// The checks of a question's options and answer that read_deck reports as errors or warnings.
bool question_is_clean(CardDraft& draft) {
    Card& card = draft.card;
    if (!is_clean_text(card.stem) || !is_clean_text(card.explanation)) return false;
    const auto [fewest, most] = option_count_range(card.type);
    if (card.options.size() < fewest || card.options.size() > most) return false;
    for (std::size_t i = 1; i < card.options.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (same_option_text(card.options[j].text, card.options[i].text)) return false;
    if (card.type == CardType::Multi) {
        if (!(draft.fields & bit(kChoose))) return false;
        if (draft.choose < 2 || draft.choose > static_cast<long long>(card.options.size()) - 1) return false;
        card.choose = static_cast<int>(draft.choose);
        if (!draft.answer_is_list || static_cast<long long>(draft.answer.size()) != draft.choose) return false;
    } else if (draft.answer_is_list) {
        return false;
    }
    for (const std::string& letter : draft.answer) {
        const auto index = answer_index(letter, card.options.size());
        if (!index || card.options[*index].correct) return false;  // out of range, or listed twice
        card.options[*index].correct = true;
    }
    // A wrong option without a reason is warned of.
    return std::all_of(card.options.begin(), card.options.end(),
                       [](const Option& o) { return o.correct || !o.reason.empty(); });
}

// Everything read_card reports about a card read whole, the exam known.
bool card_is_clean(CardDraft& draft, const Exam& exam) {
    Card& card = draft.card;
    if (draft.type == "single" || draft.type == "multi") {
        card.type = draft.type == "single" ? CardType::Single : CardType::Multi;
        const unsigned allowed = card.type == CardType::Single ? kSingleFields : kQuestionFields;
        if ((draft.fields & ~allowed) || (draft.fields & kQuestionRequired) != kQuestionRequired) return false;
    } else if (draft.type == "flashcard") {
        card.type = CardType::Flashcard;
        if ((draft.fields & ~kFlashcardFields) || (draft.fields & kFlashcardRequired) != kFlashcardRequired)
            return false;
    } else {
        return false;
    }
    if (!is_identifier(card.id) || !exam.domain(card.domain_id)) return false;
    card.exam_id = exam.id;
    for (const std::string& topic : card.topics) {
        const Domain* owner = domain_of_objective(exam, topic);
        if (owner ? owner->id != card.domain_id : looks_like_objective(topic)) return false;
    }
    if (draft.fields & bit(kDifficulty)) {
        if (draft.difficulty < 1 || draft.difficulty > 3) return false;
        card.difficulty = static_cast<int>(draft.difficulty);
    }
    if (draft.fields & bit(kSkill)) {
        const auto skill = parse_skill(draft.skill);
        if (!skill) return false;
        card.skill = *skill;
    }
    if (card.type == CardType::Flashcard) return is_clean_text(card.front) && is_clean_text(card.back);
    return question_is_clean(draft);
}

// Lets go of a checked card's texts but its stem (which the near-duplicate check reads): their
// memory then serves the next card's.
void let_go_of_texts_but_stem(Card& card) {
    std::string stem = std::move(card.stem);
    leave_out_texts(card);
    card.stem = std::move(stem);
}

enum DeckField : std::size_t {
    kFormatVersion,
    kKind,
    kDeckId,
    kTitle,
    kExam,
    kAuthor,
    kVersion,
    kLicense,
    kDescription,
    kCards
};
constexpr std::string_view kDeckFields[] = {"format_version", "kind",    "id",      "title",       "exam",
                                            "author",         "version", "license", "description", "cards"};
constexpr unsigned kDeckRequired = (1u << kFormatVersion) | (1u << kKind) | (1u << kDeckId) | (1u << kTitle) |
                                   (1u << kExam) | (1u << kAuthor) | (1u << kVersion) | (1u << kLicense) |
                                   (1u << kCards);

}  // namespace

// Kept from file to file, so that their memory is reused rather than taken afresh.
struct CleanDeckReader::Parser {
    sj::parser parser;
    std::vector<CardDraft> drafts;
};

CleanDeckReader::CleanDeckReader() : parser_(std::make_unique<Parser>()) {}
CleanDeckReader::~CleanDeckReader() = default;

std::optional<DeckContent> CleanDeckReader::read(std::string& text, const std::string& file,
                                                 const std::vector<const Exam*>& exams, FileSummary& summary,
                                                 bool keep_texts) {
    const std::size_t length = text.size();
    text.append(kCleanDeckPadding, ' ');  // within the room reserved past the text
    struct Restore {
        std::string& text;
        std::size_t length;
        ~Restore() { text.resize(length); }
    } restore{text, length};

    // Room for a quarter more than this file: the parser's buffers are not taken afresh for every
    // slightly larger file.
    sj::parser& parser = parser_->parser;
    if (parser.capacity() < length && parser.allocate(length + length / 4) != SUCCESS) return std::nullopt;
    sj::document doc;
    if (parser.iterate(text.data(), length, text.size()).get(doc) != SUCCESS) return std::nullopt;
    sj::object root;
    if (doc.get_object().get(root) != SUCCESS) return std::nullopt;

    DeckContent out;
    DeckInfo& info = out.info;
    info.file = file;
    LineCounter lines(std::string_view(text.data(), length));
    std::vector<CardDraft>& drafts = parser_->drafts;
    drafts.clear();
    unsigned seen = 0;
    const bool read = for_each_member(root, kDeckFields, seen, [&](std::size_t field, sj::value& value) {
        long long version = 0;
        std::string kind;
        switch (static_cast<DeckField>(field)) {
            case kFormatVersion:
                return read_small_integer(value, version) && version == 1;
            case kKind:
                return read_string(value, kind) && kind == "deck";
            case kDeckId:
                return read_string(value, info.id);
            case kTitle:
                return read_string(value, info.title);
            case kExam:
                return read_string(value, info.exam_id);
            case kAuthor:
                return read_string(value, info.author);
            case kVersion:
                return read_string(value, info.version);
            case kLicense:
                return read_string(value, info.license);
            case kDescription:
                return read_string(value, info.description) && is_clean_text(info.description);
            case kCards:
                return for_each_element(value, [&](sj::value& card) {
                    // A card is placed where its opening brace is.
                    CardDraft& draft = drafts.emplace_back();
                    const std::size_t offset = static_cast<std::size_t>(card.raw_json_token().data() - text.data());
                    lines.at(offset, draft.card.line, draft.card.column);
                    return read_card_fields(card, draft);
                });
        }
        return false;
    });
    // Past the root object only the end of the text may follow.
    if (!read || doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return std::nullopt;
    if ((seen & kDeckRequired) != kDeckRequired || drafts.empty()) return std::nullopt;  // no cards is warned of
    for (const std::string* s : {&info.id, &info.title, &info.exam_id, &info.author, &info.version, &info.license})
        if (!is_clean_text(*s)) return std::nullopt;
    if (!is_identifier(info.id)) return std::nullopt;
    const auto exam = std::find_if(exams.begin(), exams.end(), [&](const Exam* e) { return e->id == info.exam_id; });
    if (exam == exams.end()) return std::nullopt;

    FileSummary counted = summary;
    out.cards.reserve(drafts.size());
    out.places.reserve(drafts.size());
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        CardDraft& draft = drafts[i];
        if (!card_is_clean(draft, **exam)) return std::nullopt;
        Card& card = draft.card;
        if (!keep_texts) let_go_of_texts_but_stem(card);
        card.deck_id = info.id;
        card.file = file;
        out.places.push_back({card.id, file, "/cards/" + std::to_string(i), card.line, card.column});
        ++counted.by_type[to_string(card.type)];
        ++counted.by_domain[card.domain_id];
        out.cards.push_back(std::move(card));
    }
    counted.kind = "deck";
    counted.id = info.id;
    counted.exam_id = info.exam_id;
    counted.cards = out.cards.size();
    info.card_count = out.cards.size();
    out.header_ok = true;
    summary = std::move(counted);
    return out;
}

}  // namespace certdrill::decks
