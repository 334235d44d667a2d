#pragma once
// Review histories run through the FSRS-6 scheduler: what `certdrill replay [FILE|-]` does, and
// the history reader `certdrill optimize --from` shares.
//
// Input is JSON Lines, one card per line:
//   {"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3},...],
//    "parameters":[21 or 19 numbers], "desired_retention":0.9,
//    "learning_steps":["1m","10m"], "relearning_steps":["10m"],
//    "enable_short_term":true, "maximum_interval":36500}
// Every field but "reviews" is optional; unknown fields are errors. Steps are whole numbers of
// minutes, hours or days ("10m", "1h", "2d"). Reviews must be in chronological order.
//
// For each good line one JSON line is written: an array holding, after each review, the card's
// "state", "stability", "difficulty", "scheduled_days", "due" (ISO 8601 UTC), "reps" and
// "lapses". Days are UTC calendar days (rollover at midnight) and fuzz is off, which makes the
// output comparable with ts-fsrs. Blank lines are skipped. A bad line writes nothing to `out`
// and "line N: reason" to `err` (one line, without control sequences); processing continues
// with the next line. A line longer than kMaxReplayLineBytes is skipped unread with an error.
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fsrs_optimizer.hpp"

namespace certdrill::app {

// 1 MiB: tens of thousands of reviews, far more than one card ever gets.
inline constexpr std::size_t kMaxReplayLineBytes = std::size_t{1} << 20;

// Which parser reads a line: normally the fast reader of plain histories, handing anything else
// to the general JSON parser. The other two exist for the differential fuzz target.
enum class ReplayParser { Auto, PlainOnly, GeneralOnly };

struct LineReplay {
    bool handled = true;               // false: PlainOnly was asked and the line is not plain
    std::optional<std::string> error;  // why the line is bad
};

// Replays one line (no newline) and appends its output to `out`.
LineReplay replay_line_with(ReplayParser parser, std::string_view line, std::string& out);

// Reads the reviews of one input line (the scheduling fields are accepted and ignored). Returns
// the reason when the line is not valid replay input or its reviews are out of order.
std::optional<std::string> read_review_history(std::string_view line, std::vector<fsrs::TimedReview>& reviews);

// True for a line that holds nothing but white space (skipped by every reader of this format).
bool is_blank_line(std::string_view line);

// Returns 0 when every line was good, 1 otherwise.
int run_replay(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace certdrill::app
