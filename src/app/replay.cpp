#include "app/replay.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/replay_parts.hpp"
#include "core/fsrs.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

// Replaying: each line's reviews run through the scheduler and written out, and the loop that
// shares batches of lines among the cores. Reading a line is in replay_input.cpp.

namespace certdrill::app {

using detail::CardRequest;
using detail::parse_general_request;
using detail::parse_plain_history;
using detail::ReviewEvent;

namespace {

void append_chars(std::string& out, const char* first, const char* last) { out.append(first, last); }

void append_number(std::string& out, double value) {
    // Shortest text that reads back as exactly the same double.
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    append_chars(out, buffer.data(), result.ptr);
}

void append_number(std::string& out, std::int64_t value) {
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    append_chars(out, buffer.data(), result.ptr);
}

void append_card(std::string& out, const fsrs::MemoryState& card) {
    out += "{\"state\":\"";
    out += fsrs::to_string(card.state);
    out += "\",\"stability\":";
    append_number(out, card.stability);
    out += ",\"difficulty\":";
    append_number(out, card.difficulty);
    out += ",\"scheduled_days\":";
    append_number(out, static_cast<std::int64_t>(card.scheduled_days));
    out += ",\"due\":\"";
    std::array<char, kIso8601MaxLength> due{};
    append_chars(out, due.data(), write_iso8601(card.due, due.data()));
    out += "\",\"reps\":";
    append_number(out, static_cast<std::int64_t>(card.reps));
    out += ",\"lapses\":";
    append_number(out, static_cast<std::int64_t>(card.lapses));
    out += '}';
}

bool is_blank(std::string_view line) {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Thrown when ReplayParser::PlainOnly meets a line the fast reader hands over.
struct NotPlain {};

// Replays lines one at a time, keeping the buffers and the last scheduler between lines: most
// inputs use one configuration for every card, so the scheduler is rarely rebuilt.
class Replayer {
public:
    // Appends the output for `line` to `out`; on failure returns the reason and `out` is unusable.
    std::optional<std::string> replay(std::string_view line, std::string& out,
                                      ReplayParser which = ReplayParser::Auto) {
        request_.reset();
        if (which == ReplayParser::GeneralOnly || !parse_plain_history(line, request_)) {
            if (which == ReplayParser::PlainOnly) throw NotPlain{};
            request_.reset();
            if (auto error = parse_general_request(line, request_)) return error;
        }
        if (!request_.has_reviews) return "missing field \"reviews\"";
        try {
            if (request_.has_weights) request_.parameters.w = fsrs::upgrade_weights(request_.weights);
            const fsrs::Scheduler& scheduler = scheduler_for(request_.parameters);
            return replay_reviews(scheduler, out);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
    }

private:
    const fsrs::Scheduler& scheduler_for(const fsrs::Parameters& wanted) {
        if (!scheduler_ || cached_parameters_ != wanted) {
            scheduler_.emplace(wanted);  // may throw; the cache is then empty, not stale
            cached_parameters_ = wanted;
        }
        return *scheduler_;
    }

    std::optional<std::string> replay_reviews(const fsrs::Scheduler& scheduler, std::string& out) const {
        fsrs::MemoryState card;
        out += '[';
        for (std::size_t i = 0; i < request_.reviews.size(); ++i) {
            const ReviewEvent& review = request_.reviews[i];
            if (i > 0 && review.at < request_.reviews[i - 1].at)
                return "reviews[" + std::to_string(i) + "].at is earlier than the review before it";
            const std::int64_t elapsed =
                card.state == fsrs::State::New ? 0 : days_.days_between(card.last_review, review.at);
            card = scheduler.next(card, review.rating, review.at, elapsed);
            if (i > 0) out += ',';
            append_card(out, card);
        }
        out += ']';
        return std::nullopt;
    }

    CardRequest request_;
    std::optional<fsrs::Scheduler> scheduler_;
    fsrs::Parameters cached_parameters_;
    DayCounter days_ = utc_day_counter();  // UTC calendar days, as ts-fsrs counts them
};

}  // namespace

bool is_blank_line(std::string_view line) { return is_blank(line); }

namespace {

struct LineResult {
    bool blank = false;
    std::optional<std::string> error;
    std::string text;
};

// Replays lines [first, last) of a batch with one Replayer (one thread's share).
void replay_range(Replayer& replayer, const std::vector<std::string>& lines, std::vector<LineResult>& results,
                  std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
        LineResult& r = results[i];
        r.text.clear();
        r.error.reset();
        r.blank = is_blank(lines[i]);
        if (r.blank) continue;
        r.error = replayer.replay(lines[i], r.text);
        if (!r.error) r.text += '\n';
    }
}

}  // namespace

LineReplay replay_line_with(ReplayParser parser, std::string_view line, std::string& out) {
    Replayer replayer;
    try {
        return LineReplay{true, replayer.replay(line, out, parser)};
    } catch (const NotPlain&) {
        return LineReplay{false, std::nullopt};
    }
}

namespace {

// Reads lines of at most kMaxReplayLineBytes through a buffer of its own. A longer line is
// skipped whole instead of being held in memory, so memory stays bounded whatever the input.
class LineReader {
public:
    enum class Status { Line, TooLong, End };

    explicit LineReader(std::istream& in) : in_(in), buffer_(1 << 16) {}

    Status next(std::string& line) {
        line.clear();
        bool any = false;
        bool too_long = false;
        while (true) {
            if (begin_ == end_ && !refill()) return any ? (too_long ? Status::TooLong : Status::Line) : Status::End;
            any = true;
            const char* first = buffer_.data() + begin_;
            const auto* newline = static_cast<const char*>(std::memchr(first, '\n', end_ - begin_));
            const std::size_t length = newline ? static_cast<std::size_t>(newline - first) : end_ - begin_;
            if (!too_long && line.size() + length <= kMaxReplayLineBytes)
                line.append(first, length);
            else
                too_long = true;
            begin_ += length;
            if (newline) {
                ++begin_;
                return too_long ? Status::TooLong : Status::Line;
            }
        }
    }

private:
    bool refill() {
        if (!in_) return false;
        in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        begin_ = 0;
        end_ = static_cast<std::size_t>(in_.gcount());
        return end_ > 0;
    }

    std::istream& in_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

// Error text is built from untrusted input (keys, the JSON parser's "last read" token): keep it
// on one line, without control sequences, and short.
std::string one_safe_line(const std::string& message) {
    constexpr std::size_t kMaxShown = 300;
    std::string text = text::sanitize(message.size() > kMaxShown ? message.substr(0, kMaxShown) + "..." : message);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

int run_replay(std::istream& in, std::ostream& out, std::ostream& err) {
    // Lines are independent, so each batch is shared out among the cores; output keeps the
    // input's order.
    const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    constexpr std::size_t kBatch = 4096;
    std::vector<Replayer> replayers(workers);
    std::vector<std::string> lines(kBatch);
    std::vector<bool> too_long(kBatch);
    std::vector<LineResult> results(kBatch);
    LineReader reader(in);
    std::size_t line_number = 0;
    bool all_good = true;
    bool at_end = false;
    while (!at_end) {
        std::size_t count = 0;
        while (count < kBatch) {
            const LineReader::Status status = reader.next(lines[count]);
            if (status == LineReader::Status::End) {
                at_end = true;
                break;
            }
            too_long[count] = status == LineReader::Status::TooLong;
            if (too_long[count]) lines[count].clear();  // replayed as blank, reported below
            ++count;
        }
        if (count == 0) break;
        const std::size_t share = (count + workers - 1) / workers;
        std::vector<std::thread> threads;
        for (std::size_t w = 1; w < workers && w * share < count; ++w)
            threads.emplace_back(replay_range, std::ref(replayers[w]), std::cref(lines), std::ref(results), w * share,
                                 std::min(count, (w + 1) * share));
        replay_range(replayers[0], lines, results, 0, std::min(count, share));
        for (auto& t : threads) t.join();
        for (std::size_t i = 0; i < count; ++i) {
            ++line_number;
            const LineResult& r = results[i];
            if (too_long[i]) {
                err << "line " << line_number << ": longer than " << kMaxReplayLineBytes
                    << " bytes; split the history into several lines\n";
                all_good = false;
                continue;
            }
            if (r.blank) continue;
            if (r.error) {
                err << "line " << line_number << ": " << one_safe_line(*r.error) << '\n';
                all_good = false;
                continue;
            }
            out.write(r.text.data(), static_cast<std::streamsize>(r.text.size()));
        }
    }
    return all_good ? 0 : 1;
}

}  // namespace certdrill::app
