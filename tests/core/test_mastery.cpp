#include <doctest/doctest.h>

#include "core/mastery.hpp"

using namespace certdrill;

namespace {

const UnixMs kNow = *parse_iso8601("2026-05-04T09:00:00Z");

struct World {
    Exam exam;
    std::vector<Card> cards;
    std::vector<CardProgress> progress;

    explicit World(int per_domain) {
        exam.id = "mx";
        exam.domains.push_back(Domain{"d1", 1, "One", 50, {Objective{"1.1", "one", {}}}});
        exam.domains.push_back(Domain{"d2", 2, "Two", 50, {Objective{"2.1", "two", {}}}});
        for (const char* d : {"d1", "d2"})
            for (int i = 0; i < per_domain; ++i) {
                Card c;
                c.id = std::string(d) + "." + std::to_string(i);
                c.exam_id = "mx";
                c.domain_id = d;
                c.topics = {std::string(d == std::string("d1") ? "1.1" : "2.1")};
                cards.push_back(c);
            }
        for (const auto& c : cards) progress.push_back(CardProgress{&c, std::nullopt, false, false});
    }

    // Marks a card as reviewed `days_ago` with a long stability (well known).
    void known(std::size_t index, int days_ago) {
        fsrs::MemoryState m;
        m.state = fsrs::State::Review;
        m.stability = 100;
        m.difficulty = 3;
        m.last_review = kNow - days_ago * kMsPerDay;
        m.due = m.last_review + 100 * kMsPerDay;
        progress[index].memory = m;
    }
};

}  // namespace

TEST_SUITE("mastery") {
    TEST_CASE("with nothing seen every figure sits at the unseen prior") {
        World w(10);
        auto m = compute_mastery(w.exam, w.progress, {}, fsrs::Scheduler{}, kNow);
        CHECK(m.domains["d1"].mastery == doctest::Approx(0.40));
        CHECK(m.readiness == doctest::Approx(0.40));
        CHECK(m.domains["d1"].cards == 10);
        CHECK(m.domains["d1"].seen == 0);
    }

    TEST_CASE("material never studied keeps mastery down however well the rest is known") {
        World w(30);
        std::vector<Answer> answers;
        for (std::size_t i = 0; i < 5; ++i) {
            w.known(i, 2);
            answers.push_back(Answer{w.cards[i].id, kNow - 2 * kMsPerDay, true});
        }
        auto m = compute_mastery(w.exam, w.progress, answers, fsrs::Scheduler{}, kNow);
        const auto& d1 = m.domains["d1"];
        CHECK(d1.seen == 5);
        CHECK(d1.recent_accuracy == doctest::Approx(1.0));
        // 5 of 30 cards at about 0.99 and 25 at 0.40.
        CHECK(d1.mastery > 0.45);
        CHECK(d1.mastery < 0.52);
        // Covering the whole domain lifts it close to the recall of the cards.
        World all(30);
        std::vector<Answer> every;
        for (std::size_t i = 0; i < 30; ++i) {
            all.known(i, 2);
            every.push_back(Answer{all.cards[i].id, kNow - 2 * kMsPerDay, true});
        }
        CHECK(compute_mastery(all.exam, all.progress, every, fsrs::Scheduler{}, kNow).domains["d1"].mastery > 0.95);
    }

    TEST_CASE("a retry minutes after a miss does not count as knowledge") {
        World w(4);
        w.known(0, 0);
        const std::vector<Answer> answers = {{w.cards[0].id, kNow - 30 * kMsPerMinute, false},
                                             {w.cards[0].id, kNow - 20 * kMsPerMinute, true}};
        auto m = compute_mastery(w.exam, w.progress, answers, fsrs::Scheduler{}, kNow);
        const auto& d1 = m.domains["d1"];
        CHECK(d1.reviews == 2);  // both answers are in the log figures
        CHECK(d1.correct == 1);
        CHECK(d1.recent_accuracy == doctest::Approx(0.0));  // only the first one is evidence
        // A day later the same card answered right does count.
        const std::vector<Answer> later = {{w.cards[0].id, kNow - 2 * kMsPerDay, false}, {w.cards[0].id, kNow, true}};
        CHECK(compute_mastery(w.exam, w.progress, later, fsrs::Scheduler{}, kNow).domains["d1"].recent_accuracy ==
              doctest::Approx(0.5));
    }

    TEST_CASE("three answers do not swing mastery wildly") {
        World w(10);
        for (std::size_t i = 0; i < 10; ++i) w.known(i, 1);
        std::vector<Answer> answers;
        for (std::size_t i = 0; i < 3; ++i) answers.push_back(Answer{w.cards[i].id, kNow - kMsPerDay, false});
        auto m = compute_mastery(w.exam, w.progress, answers, fsrs::Scheduler{}, kNow);
        const double recall = m.domains["d1"].recall_now;
        CHECK(m.domains["d1"].mastery < recall);
        CHECK(m.domains["d1"].mastery > recall - 0.3);
    }

    TEST_CASE("readiness weighs domains by the blueprint") {
        World w(2);
        w.exam.domains[0].weight = 80;
        w.exam.domains[1].weight = 20;
        w.known(0, 1);
        w.known(1, 1);
        auto m = compute_mastery(w.exam, w.progress, {}, fsrs::Scheduler{}, kNow);
        const double expected = 0.8 * m.domains["d1"].mastery + 0.2 * m.domains["d2"].mastery;
        CHECK(m.readiness == doctest::Approx(expected));
        CHECK(m.domains["d2"].mastery == doctest::Approx(0.40));
    }
}
