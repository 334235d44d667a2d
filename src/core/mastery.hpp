#pragma once
// How well the candidate knows each domain and topic, and what score to expect if the exam were
// taken now. Pure: the caller supplies memory states and the answer log. See docs/scheduling.md.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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
    // The card's id, which must outlive the computation (e.g. the Card's own id in the library):
    // a million answers need no million copies of their card ids.
    std::string_view card_id;
    UnixMs at = 0;
    bool correct = false;
    // The card's memory state right after this answer, when known (the review log keeps it), as
    // much of it as its recall needs. Mastery folds these states in order; without them only the
    // card's current state is used.
    std::optional<fsrs::RecallState> after{};
};

struct MasteryModel {
    // Chance of answering an unseen question right when nothing is known about the learner:
    // above the 25% of a blind guess on four options, since candidates know part of the
    // material before they study it here.
    double default_prior = 0.40;
    // Strength, in pseudo-answers, of the default behind the exam-wide rate of right first
    // answers, and of that exam-wide rate behind each domain's own rate (see docs/scheduling.md).
    double exam_prior_strength = 20.0;
    double domain_prior_strength = 10.0;
    // Recall is predicted this many days ahead when no exam date is set.
    int horizon_days = 30;
    // Answers considered "recent" per domain or topic (newest first), for recent_accuracy.
    std::size_t recent_window = 50;
    // A right answer counts only when the card was last answered at least this long before: a
    // retry within a session follows the explanation and would flatter the figure.
    UnixMs retry_gap = 8 * 60 * kMsPerMinute;
    // A topic is listed among the weakest only with this many counted answers, or a lapse.
    std::size_t evidence_answers = 3;
};

struct Mastery {
    std::size_t cards = 0;          // questions and flashcards in the group
    std::size_t seen = 0;           // cards answered at least once
    std::size_t reviews = 0;        // all answers
    std::size_t correct = 0;        // right answers among them
    std::size_t counted = 0;        // answers that count as evidence (retries within the gap do not)
    std::size_t first_answers = 0;  // first answers to the group's cards
    std::size_t first_correct = 0;  // right first answers
    std::size_t lapses = 0;         // FSRS lapses (a known card answered wrong) of the group's cards
    std::size_t due_now = 0;        // seen cards due at `now`
    double prior = 0.0;             // predicted chance on an unseen card of the group
    double recall_now = 0.0;        // mean predicted recall now (unseen cards at the prior)
    double recent_accuracy = 0.0;   // plain accuracy of the recent window (0 when none)
    // Expected chance of answering a card of the group right at the horizon (exam day, or
    // horizon_days from now): each seen card's FSRS recall at the horizon, moved only in the
    // direction of its answers; each unseen card at the prior.
    double mastery = 0.0;
    double seen_mastery = 0.0;  // the same over the seen cards only (the prior when none)

    // Enough answers to say something about the group: evidence_answers counted answers or a lapse.
    bool has_evidence(const MasteryModel& model = {}) const {
        return counted >= model.evidence_answers || lapses > 0;
    }
};

struct ExamMastery {
    std::map<std::string, Mastery> domains;  // by domain id
    std::map<std::string, Mastery> topics;   // by objective id
    UnixMs horizon = 0;                      // the moment recall is predicted for
    double prior = 0.0;                      // exam-wide prior, before the per-domain adjustment
    double recall_now = 0.0;                 // blueprint-weighted mean of domain recall_now
    double readiness = 0.0;                  // blueprint-weighted mean of domain mastery (0-1)
};

// Predicted recall of one card at `at` (fractional days since its last review); the default
// prior for a card never answered.
double predicted_recall(const fsrs::Scheduler& scheduler, const CardProgress& card, UnixMs at,
                        const MasteryModel& model);

// The default horizon: horizon_days after `now`.
UnixMs default_horizon(UnixMs now, const MasteryModel& model = {});

// One answer of a card, without the card's id: what MasteryAccumulator reads of it.
struct CardAnswer {
    UnixMs at = 0;
    bool correct = false;
    std::optional<fsrs::RecallState> after{};  // as in Answer
};

// compute_mastery fed one card at a time: for a long log, no list of every answer is needed, only
// a few figures per card. The same states, answers, parameters and times give exactly the same
// figures as compute_mastery, in whatever order the cards come.
class MasteryAccumulator {
public:
    // `cards` (and the exam and scheduler) must outlive the accumulator.
    MasteryAccumulator(const Exam& exam, const std::vector<CardProgress>& cards, const fsrs::Scheduler& scheduler,
                       UnixMs now, const MasteryModel& model = {}, const DayCounter& days = utc_day_counter(),
                       std::optional<UnixMs> horizon = std::nullopt);
    ~MasteryAccumulator();
    MasteryAccumulator(const MasteryAccumulator&) = delete;
    MasteryAccumulator& operator=(const MasteryAccumulator&) = delete;
    MasteryAccumulator(MasteryAccumulator&&) noexcept;
    MasteryAccumulator& operator=(MasteryAccumulator&&) noexcept;

    // All the answers of one card, in time order (answers at the same moment in log order; other
    // orders are sorted so). Answers to a card not of the exam are ignored. Each card's answers
    // come in one call: a second call for the same card is a std::logic_error.
    void add_card(std::string_view card_id, std::span<const CardAnswer> answers);
    // The same for the card at `position` in the `cards` given to the constructor, for a caller
    // that knows it: no look-up by id.
    void add_card_at(std::size_t position, std::span<const CardAnswer> answers);
    // The figures, once every card's answers are in (at most once).
    ExamMastery finish();

private:
    struct State;
    void add_numbered(std::size_t number, std::span<const CardAnswer> answers);
    std::unique_ptr<State> state_;
};

// Mastery of every domain and objective and the exam readiness, predicted for `horizon` (empty:
// default_horizon(now)). Pure: the same states, answers, parameters and times give the same
// figures. `answers` may hold answers of any exam; only those of the exam's cards count.
ExamMastery compute_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                            const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                            const MasteryModel& model = {}, const DayCounter& days = utc_day_counter(),
                            std::optional<UnixMs> horizon = std::nullopt);

// A topic's figure for ranking the weakest topics: the mastery of its studied cards shrunk
// towards `toward` (its domain's mastery) with `strength` pseudo-answers, so a topic with few
// answers ranks near its domain rather than at an extreme set by one lucky or unlucky answer.
double credible_mastery(const Mastery& topic, double toward, double strength = 5.0);

// Desired retention for cards of a group with this mastery: weak groups are scheduled at up to
// 0.97 so they return sooner; from `strong_at` up they fall back to the default 0.90.
double retention_for_mastery(double mastery, double default_retention = 0.90);

// Maps a percent score onto the exam's scale piecewise linearly, so that 0% lands on scale_min,
// the pass mark on passing_score and 100% on scale_max. Empty when the exam has no scale.
std::optional<int> scaled_score(const ExamFormat& format, double percent);

}  // namespace certdrill
