// Starting and submitting a mock exam each write in one transaction (one sync), all or nothing.
#include <doctest/doctest.h>

#include "../support/answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "../support/use_case_world.hpp"
#include "app/mock_exam_session.hpp"
#include "store/progress_store.hpp"

namespace test_mock_exam_transactions {

using namespace certdrill;
using certdrill::testing::right_answer;
using certdrill::testing::wrong_answer;

namespace {

using World = certdrill::testing::UseCaseWorld;

app::MockOptions linear_options() {
    app::MockOptions o;
    o.exam_id = "testexam";
    o.seed = 21;
    return o;
}

}  // namespace

TEST_SUITE("mock exam transactions") {
    TEST_CASE("a linear exam starts in one transaction with every item drawn, and is submitted in one") {
        World w;
        const auto before_start = w.store.write_transactions();
        app::MockExamSession mock(w.services(), linear_options());
        CHECK(w.store.write_transactions() == before_start + 1);
        REQUIRE(mock.size() == 10);
        CHECK(w.store.attempt_items(mock.attempt_id()).size() == 10);

        for (int i = 0; i < mock.size(); ++i) {
            w.now += kMsPerMinute;
            mock.answer(i % 3 == 0 ? wrong_answer(mock.current()) : right_answer(mock.current()));
            mock.next();
        }
        const auto before_submit = w.store.write_transactions();
        const auto& result = mock.submit();
        CHECK(w.store.write_transactions() == before_submit + 1);
        CHECK(result.answered == 10);
        // Everything the submission writes is there: the outcome and one review per answer.
        const auto attempt = w.store.attempt(mock.attempt_id());
        REQUIRE(attempt);
        CHECK(attempt->finished_at);
        CHECK(attempt->score_percent);
        CHECK(w.store.reviews().size() == 10);
        for (const auto& r : w.store.reviews()) CHECK(r.mode == "exam");
    }

    TEST_CASE("an adaptive exam starts in one transaction, with its first item on record") {
        World w;
        const Library& lib = certdrill::testing::adaptive_fixture_library();
        const auto before = w.store.write_transactions();
        app::MockExamSession mock(w.services(lib), linear_options());
        CHECK(w.store.write_transactions() == before + 1);
        const auto items = w.store.attempt_items(mock.attempt_id());
        REQUIRE(items.size() == 1);
        CHECK(items[0].card_id == mock.current().card->id);
    }
}

}  // namespace test_mock_exam_transactions
