#pragma once
// How well the candidate knows each domain and topic, and what score to expect if the exam were
// taken now. Pure: the caller supplies memory states and the answer log. See docs/scheduling.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/fsrs.hpp"
#include "core/model.hpp"

namespace certdrill {

// A card with what the store knows of it (memory is empty for a card never answered).
struct CardProgress {
    const Card* card = nullptr;
    std::optional<fsrs::MemoryState> memory;
    bool suspended = false;
    bool flagged = false;
};

struct Answer {
    std::string card_id;
    UnixMs at = 0;
    bool correct = false;
};

struct MasteryModel {
    // Predicted chance of answering an unseen question right: above the 25% of a blind guess on
    // four options, since candidates know part of the material before they study it here.
    double unseen_prior = 0.40;
    // Pseudo-answers at the recall estimate added to the recent answers, so that three answers
    // move the figure only a little.
    double smoothing_answers = 8.0;
    // Answers considered "recent" per domain or topic (newest first).
    std::size_t recent_window = 50;
    // An answer counts only when the card was last answered at least this long before: retries
    // within a session follow the explanation and would flatter the figure.
    UnixMs retry_gap = 8 * 60 * kMsPerMinute;
};

struct Mastery {
    std::size_t cards = 0;         // questions and flashcards in the group
    std::size_t seen = 0;          // cards answered at least once
    std::size_t reviews = 0;       // all answers
    std::size_t correct = 0;       // right answers among them
    std::size_t due_now = 0;       // seen cards due at `now`
    double recall_now = 0.0;       // mean predicted recall now (unseen cards at the prior)
    double recent_accuracy = 0.0;  // plain accuracy of the recent window (0 when none)
    // Expected chance of answering a card of the group right now: over the seen cards, their
    // predicted recall blended with recent answers; over the unseen ones, the prior. Material
    // never studied therefore keeps the figure down however well the rest is known.
    double mastery = 0.0;
};

struct ExamMastery {
    std::map<std::string, Mastery> domains;  // by domain id
    std::map<std::string, Mastery> topics;   // by objective id
    double readiness = 0.0;                  // blueprint-weighted mean of domain mastery (0-1)
};

// Predicted recall of one card at `now` (fractional days since its last review).
double predicted_recall(const fsrs::Scheduler& scheduler, const CardProgress& card, UnixMs now,
                        const MasteryModel& model);

// `answers` may hold answers of any exam; only those of the exam's cards count.
ExamMastery compute_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                            const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                            const MasteryModel& model = {},
                            const DayCounter& days = utc_day_counter());

// Desired retention for cards of a group with this mastery: weak groups are scheduled at up to
// 0.97 so they return sooner; from `strong_at` up they fall back to the default 0.90.
double retention_for_mastery(double mastery, double default_retention = 0.90);

// Maps a percent score onto the exam's scale piecewise linearly, so that 0% lands on scale_min,
// the pass mark on passing_score and 100% on scale_max. Empty when the exam has no scale.
std::optional<int> scaled_score(const ExamFormat& format, double percent);

}  // namespace certdrill
