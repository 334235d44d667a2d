// Due cards come back interleaved across domains and objectives, also after a break, when many
// reviews and unfinished learning steps are overdue at once.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../support/answers.hpp"
#include "../support/study_answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/use_case_world.hpp"
#include "app/study_session.hpp"

namespace test_interleaving {

using namespace certdrill;

namespace {

// A card last answered `last` and due again at `due`, in the review or the relearning state.
void seed(testing::UseCaseWorld& w, const Card& card, fsrs::State state, UnixMs last, UnixMs due) {
    store::ReviewRecord r;
    r.card_id = card.id;
    r.at = last;
    r.rating = state == fsrs::State::Review ? 3 : 1;
    r.correct = state == fsrs::State::Review;
    r.mode = "study";
    r.after.state = state;
    r.after.stability = state == fsrs::State::Review ? 4.0 : 0.5;
    r.after.difficulty = 6.0;
    r.after.reps = 3;
    r.after.last_review = last;
    r.after.due = due;
    r.after.scheduled_days = state == fsrs::State::Review ? 4 : 0;
    w.store.record_review(r);
}

// Every fixture card started before a three-week break: the d1 cards of objective 1.1 were being
// relearned in a d1-only session (due ten minutes after it), the rest are reviews due long ago.
void after_a_break(testing::UseCaseWorld& w) {
    const UnixMs last = w.now - 21 * kMsPerDay;
    for (const Card& c : testing::fixture_library().cards) {
        const bool relearning = c.domain_id == "d1" && c.topics.front() == "1.1";
        seed(w, c, relearning ? fsrs::State::Relearning : fsrs::State::Review, last,
             last + (relearning ? 10 * kMsPerMinute : 4 * kMsPerDay));
    }
}

// The cards shown while both domains still had due cards: 8 of each domain's 10 and 8.
std::vector<const Card*> first_sixteen(testing::UseCaseWorld& w, bool right) {
    auto services = w.services();
    app::StudySession session(services, app::StudyOptions{"testexam", std::nullopt, 16, std::nullopt, 0, 7});
    std::vector<const Card*> shown;
    while (session.current()) {
        shown.push_back(&testing::answer_shown(session, right));
        w.now += 30'000;
    }
    return shown;
}

std::string domains_of(const std::vector<const Card*>& cards) {
    std::string out;
    for (const Card* c : cards) out += c->domain_id == "d1" ? '1' : '2';
    return out;
}

}  // namespace

TEST_SUITE("interleaving") {
    TEST_CASE("overdue reviews and learning steps after a break alternate between the domains") {
        testing::UseCaseWorld w;
        after_a_break(w);
        const auto shown = first_sixteen(w, true);
        REQUIRE(shown.size() == 16);
        CHECK(domains_of(shown) == "1212121212121212");
    }

    TEST_CASE("within a domain, the objectives alternate too") {
        testing::UseCaseWorld w;
        after_a_break(w);
        std::vector<std::string> d1_topics;
        for (const Card* c : first_sixteen(w, true))
            if (c->domain_id == "d1") d1_topics.push_back(c->topics.front());
        REQUIRE(d1_topics.size() == 8);
        for (std::size_t i = 1; i < d1_topics.size(); ++i) {
            CAPTURE(i);
            CHECK(d1_topics[i] != d1_topics[i - 1]);
        }
    }

    TEST_CASE("after a break with many misses, a miss brings one sibling, not a block of its objective") {
        testing::UseCaseWorld w;
        after_a_break(w);
        const std::string domains = domains_of(first_sixteen(w, false));
        CAPTURE(domains);
        CHECK(domains.find("111") == std::string::npos);
        CHECK(domains.find("222") == std::string::npos);
    }
}

}  // namespace test_interleaving
