// What a study session and the statistics start from: the exam's cards joined with their stored
// state, and mastery figures fed card by card from the packed answer histories. Both must come
// out exactly as the mastery model computes them from every answer in the log.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../support/study_answers.hpp"
#include "../support/use_case_world.hpp"
#include "app/optimize.hpp"
#include "app/study_session.hpp"
#include "store/progress_store.hpp"

namespace test_study_start {

using namespace certdrill;

namespace {


// One session of `limit` answers, every third one wrong, a few minutes apart.
app::StudySummary study(certdrill::testing::UseCaseWorld& w, int limit, std::uint64_t seed) {
    app::StudyOptions options;
    options.exam_id = "testexam";
    options.seed = seed;
    options.limit = limit;
    app::StudySession session(w.services(), options);
    int n = 0;
    while (session.current()) {
        w.now += (n % 3 == 0) ? 2 * 60'000 : 20 * 60'000;
        certdrill::testing::answer_shown(session, n % 3 != 1);
        ++n;
    }
    return session.summary();
}

void check_same(const ExamMastery& got, const ExamMastery& want) {
    CHECK(got.readiness == want.readiness);
    CHECK(got.recall_now == want.recall_now);
    CHECK(got.prior == want.prior);
    REQUIRE(got.domains.size() == want.domains.size());
    REQUIRE(got.topics.size() == want.topics.size());
    const auto same = [](const Mastery& a, const Mastery& b) {
        CHECK(a.mastery == b.mastery);
        CHECK(a.seen_mastery == b.seen_mastery);
        CHECK(a.recall_now == b.recall_now);
        CHECK(a.recent_accuracy == b.recent_accuracy);
        CHECK(a.reviews == b.reviews);
        CHECK(a.counted == b.counted);
        CHECK(a.first_answers == b.first_answers);
        CHECK(a.seen == b.seen);
        CHECK(a.due_now == b.due_now);
    };
    for (const auto& [id, m] : want.domains) same(got.domains.at(id), m);
    for (const auto& [id, m] : want.topics) same(got.topics.at(id), m);
}

}  // namespace

TEST_CASE("a session's mastery figures from the packed histories equal compute_mastery over the whole log") {
    certdrill::testing::UseCaseWorld w;
    for (std::uint64_t day = 1; day <= 4; ++day) {
        study(w, 15, day);
        w.now += kMsPerDay;
    }
    const auto services = w.services();
    const Exam& exam = *services.library.exam("testexam");
    const auto records = w.store.reviews();
    REQUIRE(records.size() > 30);
    std::vector<Answer> answers;
    for (const auto& r : records) answers.push_back(Answer{r.card_id, r.at, r.correct, r.after});
    const auto progress = app::progress_for(services.library, w.store, exam.id);
    const auto scheduler = app::scheduler_for(services, exam.id);
    const ExamMastery want = compute_mastery(exam, progress, answers, scheduler, w.now, {}, services.days);
    CHECK(want.domains.begin()->second.reviews > 0);

    const auto join = app::join_progress(services.library, w.store, exam.id);
    check_same(app::exam_mastery(w.store, exam, join, scheduler, w.now, services.days, std::nullopt), want);
    // The same from a join of every exam's cards.
    const auto all = app::join_progress(services.library, w.store);
    check_same(app::exam_mastery(w.store, exam, all, scheduler, w.now, services.days, std::nullopt), want);
}

TEST_CASE("a session's summary counts the exam's cards due tomorrow and its next learning step from the store") {
    certdrill::testing::UseCaseWorld w;
    study(w, 20, 1);
    w.now += kMsPerDay;
    const auto summary = study(w, 10, 2);
    // Counted here straight from the exam's cards and their stored states.
    const auto services = w.services();
    const auto tomorrow = services.days.day_of(w.now) + 1;
    int due_tomorrow = 0;
    std::optional<UnixMs> next_learning;
    for (const auto& cp : app::progress_for(services.library, w.store, "testexam")) {
        if (!cp.memory || cp.suspended) continue;
        const auto& m = *cp.memory;
        if (m.state == fsrs::State::Review && services.days.day_of(m.due) == tomorrow) ++due_tomorrow;
        if ((m.state == fsrs::State::Learning || m.state == fsrs::State::Relearning) && m.due > w.now &&
            (!next_learning || m.due < *next_learning))
            next_learning = m.due;
    }
    CHECK(summary.answered == 10);
    CHECK(summary.due_tomorrow == due_tomorrow);
    CHECK(summary.next_learning == next_learning);
    CHECK(next_learning.has_value());  // wrong answers left cards in (re)learning
}

}  // namespace test_study_start
