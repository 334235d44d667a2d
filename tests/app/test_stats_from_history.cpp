// The statistics and the readiness figure read each card's packed answers (store/answer_history);
// they must come out exactly as when every card is read from the log itself.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../support/study_answers.hpp"
#include "../support/use_case_world.hpp"
#include "app/stats.hpp"
#include "app/study_session.hpp"
#include "decks/library_codec.hpp"
#include "store/sqlite.hpp"

namespace test_stats_from_history {

using namespace certdrill;

namespace {


// Studies on several days, some answers right, some wrong, some retried within minutes.
void study_for_days(certdrill::testing::UseCaseWorld& w, int days) {
    for (int day = 0; day < days; ++day) {
        app::StudyOptions options;
        options.exam_id = "testexam";
        options.seed = static_cast<std::uint64_t>(day + 1);
        options.limit = 12;
        app::StudySession session(w.services(), options);
        int n = 0;
        while (session.current()) {
            w.now += (n % 4 == 0) ? 60'000 : 25 * 60'000;
            certdrill::testing::answer_shown(session, (n + day) % 3 != 0);
            ++n;
        }
        w.now += kMsPerDay - n * 10 * 60'000;
    }
}

// Every figure the statistics report, as text, so one comparison shows any difference.
std::vector<std::string> figures(const app::Stats& s) {
    std::vector<std::string> out{"reviews " + std::to_string(s.reviews), "correct " + std::to_string(s.correct),
                                 "streak " + std::to_string(s.streak_days),
                                 "today " + std::to_string(s.reviews_today)};
    for (int n : s.reviews_per_day) out.push_back("per day " + std::to_string(n));
    for (int n : s.due_per_day) out.push_back("due " + std::to_string(n));
    for (const auto& e : s.exams) {
        out.push_back(e.id + " readiness " + std::to_string(e.readiness) + " recall " + std::to_string(e.recall_now));
        for (const auto& d : e.domains)
            out.push_back(e.id + " " + d.id + " " + std::to_string(d.figures.mastery) + " " +
                          std::to_string(d.figures.reviews) + " " + std::to_string(d.figures.counted) + " " +
                          std::to_string(d.figures.recent_accuracy) + " " + std::to_string(d.figures.lapses));
        for (const auto& t : e.weakest_topics) out.push_back(e.id + " weak " + t.id + " " + std::to_string(t.rank));
    }
    return out;
}

}  // namespace

// The figures a study session starts from (app::exam_mastery), as text.
std::vector<std::string> session_figures(certdrill::testing::UseCaseWorld& w) {
    const auto services = w.services();
    const Exam& exam = *services.library.exam("testexam");
    const auto join = app::join_progress(services.library, w.store);
    const auto m = app::exam_mastery(w.store, exam, join, services.scheduler, w.now, services.days, std::nullopt);
    std::vector<std::string> out{"readiness " + std::to_string(m.readiness), "recall " + std::to_string(m.recall_now)};
    for (const auto& d : m.domains)
        out.push_back(d.first + " " + std::to_string(d.second.mastery) + " " + std::to_string(d.second.reviews) + " " +
                      std::to_string(d.second.recent_accuracy));
    for (const auto& t : m.topics) out.push_back(t.first + " " + std::to_string(t.second.mastery));
    return out;
}

TEST_CASE("statistics from the packed answers equal those read from the log, card by card or all at once") {
    certdrill::testing::UseCaseWorld w;
    study_for_days(w, 6);
    const auto packed = figures(app::compute_stats(w.services()));
    const auto session = session_figures(w);
    REQUIRE(w.store.reviews().size() > 40);

    const auto file = w.dir.path / "progress.db";
    {
        // Every card listed as stale: each one is read from the log.
        store::Database other(file, store::Database::Mode::ReadWriteCreate);
        other.run_script("INSERT OR IGNORE INTO answer_history_stale (card_id) SELECT card_id FROM answer_history;");
    }
    CHECK(figures(app::compute_stats(w.services())) == packed);
    {
        // A packed row gone without a trace: the totals differ, and the whole log is read.
        store::Database other(file, store::Database::Mode::ReadWriteCreate);
        other.run_script(
            "DELETE FROM answer_history_stale;"
            "DELETE FROM answer_history WHERE card_id = (SELECT card_id FROM answer_history LIMIT 1);");
    }
    // Both read the packed rows first, find them short of the log, and start over from it.
    CHECK(figures(app::compute_stats(w.services())) == packed);
    CHECK(session_figures(w) == session);
}

TEST_CASE("statistics never read a card's text: the same figures from a library loaded without them") {
    certdrill::testing::UseCaseWorld w;
    study_for_days(w, 4);
    // `certdrill stats` loads the decks without the cards' texts (decks::CardTexts::LeftOut).
    Library without_texts = certdrill::testing::fixture_library();
    decks::leave_out_card_texts(without_texts);
    REQUIRE_FALSE(without_texts == certdrill::testing::fixture_library());
    const auto full = app::compute_stats(w.services());
    REQUIRE(full.reviews > 20);
    CHECK(figures(app::compute_stats(w.services(without_texts))) == figures(full));
}

}  // namespace test_stats_from_history
