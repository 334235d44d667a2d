#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/fsrs.hpp"
#include "core/id_index.hpp"
#include "core/mastery.hpp"
#include "core/planner.hpp"

namespace test_planner {

using namespace certdrill;

namespace {

const UnixMs kNow = *parse_iso8601("2026-03-10T09:00:00Z");

// Two domains: d1 (objectives 1.1 and 1.2) and d2 (objective 2.1).
Exam make_exam(double w1 = 60, double w2 = 40) {
    Exam e;
    e.id = "px";
    e.name = "Planner Exam";
    e.short_name = "PX";
    e.domains.push_back(Domain{"d1", 1, "One", w1, {Objective{"1.1", "One one", {}}, Objective{"1.2", "One two", {}}}});
    e.domains.push_back(Domain{"d2", 2, "Two", w2, {Objective{"2.1", "Two one", {}}}});
    return e;
}

Card question(const std::string& id, const std::string& domain, const std::string& topic) {
    Card c;
    c.id = id;
    c.type = CardType::Single;
    c.exam_id = "px";
    c.domain_id = domain;
    c.topics = {topic};
    c.stem = "Question " + id;
    c.options = {Option{"right", "", true}, Option{"wrong", "no", false}};
    return c;
}

fsrs::MemoryState review_state(double stability, UnixMs last_review, UnixMs due) {
    fsrs::MemoryState m;
    m.state = fsrs::State::Review;
    m.stability = stability;
    m.difficulty = 5.0;
    m.reps = 3;
    m.scheduled_days = static_cast<int>((due - last_review) / kMsPerDay);
    m.last_review = last_review;
    m.due = due;
    return m;
}

fsrs::MemoryState learning_state(UnixMs last_review, UnixMs due) {
    fsrs::MemoryState m;
    m.state = fsrs::State::Learning;
    m.stability = 1.0;
    m.difficulty = 5.0;
    m.reps = 1;
    m.last_review = last_review;
    m.due = due;
    return m;
}

// What the planner sees once a card was answered at `at`: out of the way for a day.
fsrs::MemoryState answered_at(UnixMs at) { return review_state(3.0, at, at + 3 * kMsPerDay); }

std::vector<CardProgress> progress_of(const std::vector<Card>& cards,
                                      const std::map<std::string, fsrs::MemoryState>& memory = {}) {
    std::vector<CardProgress> out;
    for (const auto& c : cards) {
        CardProgress cp{&c, std::nullopt, false, false};
        if (auto it = memory.find(c.id); it != memory.end()) cp.memory = it->second;
        out.push_back(cp);
    }
    return out;
}

ExamMastery domain_mastery(double d1, double d2) {
    ExamMastery m;
    m.domains["d1"].mastery = d1;
    m.domains["d2"].mastery = d2;
    return m;
}

const fsrs::Scheduler& scheduler() {
    static const fsrs::Scheduler s;
    return s;
}

struct Fixture {
    Exam exam = make_exam();
    std::vector<Card> cards;
    std::map<std::string, fsrs::MemoryState> memory;
    PlannerConfig config;

    SessionPlanner planner(const ExamMastery& mastery, std::uint64_t seed = 1) const {
        return SessionPlanner(exam, progress_of(cards, memory), mastery, scheduler(), utc_day_counter(), config, seed);
    }
    SessionPlanner planner(std::uint64_t seed = 1) const {
        auto progress = progress_of(cards, memory);
        return SessionPlanner(exam, progress, compute_mastery(exam, progress, {}, scheduler(), kNow), scheduler(),
                              utc_day_counter(), config, seed);
    }
    const Card& card(const std::string& id) const {
        for (const auto& c : cards)
            if (c.id == id) return c;
        FAIL("no card " << id);
        return cards.front();
    }
};

std::string next_id(const SessionPlanner& p, UnixMs now) {
    auto pick = p.next(now);
    return pick ? pick->card->id : std::string("(none)");
}

}  // namespace

TEST_SUITE("planner") {
    TEST_CASE("due reviews come before new cards, the lowest predicted recall first") {
        Fixture f;
        f.cards = {question("n1", "d1", "1.1"), question("n2", "d1", "1.1"), question("weak", "d1", "1.1"),
                   question("firm", "d1", "1.2"), question("later", "d1", "1.2")};
        // Both reviewed ten days ago; the smaller stability has the lower recall now.
        f.memory["weak"] = review_state(5.0, kNow - 10 * kMsPerDay, kNow - kMsPerDay);
        f.memory["firm"] = review_state(30.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["later"] = review_state(2.0, kNow - kMsPerDay, kNow + 3 * kMsPerDay);  // lowest recall, not due
        auto p = f.planner();
        CHECK(p.due_reviews(kNow) == 2);
        CHECK(p.new_available() == 2);

        auto first = p.next(kNow);
        REQUIRE(first);
        CHECK(first->card->id == "weak");
        CHECK(first->kind == PickKind::Review);
        const double expected = scheduler().retrievability_fractional(f.memory["weak"], 10.0);
        CHECK(first->recall == doctest::Approx(expected));
        CHECK(first->recall < scheduler().retrievability_fractional(f.memory["firm"], 10.0));
        p.record(*first->card, answered_at(kNow), true);

        auto second = p.next(kNow);
        REQUIRE(second);
        CHECK(second->card->id == "firm");
        CHECK(second->kind == PickKind::Review);
        p.record(*second->card, answered_at(kNow), true);

        auto third = p.next(kNow);
        REQUIRE(third);
        CHECK(third->kind == PickKind::New);
        CHECK((third->card->id == "n1" || third->card->id == "n2"));
    }

    TEST_CASE("due reviews come in order of predicted recall, equal recalls by card id, among many") {
        // One domain and one objective, so only the recall and the id order the picks. Equal
        // states (equal recall), long-overdue cards whose recalls round to the same value, and
        // cards without stability (recall 0) are all among them.
        Fixture f;
        std::vector<std::pair<double, std::string>> expected;
        for (int i = 0; i < 90; ++i) {
            const std::string id = "r" + std::to_string((i * 37) % 90);
            f.cards.push_back(question(id, "d1", "1.1"));
            const double stability = i % 15 == 0 ? 0.0 : 0.1 + (i % 7) * 3.7 + (i % 3 == 0 ? 0.0 : i * 0.01);
            const UnixMs last = kNow - (i % 5 == 0 ? 4000 : 2 + (i % 11) * 9) * kMsPerDay - (i % 4) * 60 * kMsPerMinute;
            f.memory[id] = review_state(stability, last, kNow - kMsPerDay);
        }
        for (const auto& c : f.cards)
            expected.emplace_back(predicted_recall(scheduler(), CardProgress{&c, f.memory[c.id], false, false}, kNow, {}),
                                  c.id);
        std::sort(expected.begin(), expected.end());
        auto p = f.planner();
        for (const auto& [recall, id] : expected) {
            auto pick = p.next(kNow);
            REQUIRE(pick);
            CHECK(pick->card->id == id);
            CHECK(pick->recall == recall);
            p.record(*pick->card, answered_at(kNow), true);
        }
        CHECK(p.due_reviews(kNow) == 0);
    }

    TEST_CASE("a review due later today counts as due: reviews are scheduled in whole days") {
        Fixture f;
        f.cards = {question("r", "d1", "1.1"), question("n", "d1", "1.1")};
        f.memory["r"] = review_state(5.0, kNow - 5 * kMsPerDay, kNow + 6 * 60 * kMsPerMinute);  // 15:00 the same day
        auto p = f.planner();
        CHECK(p.due_reviews(kNow) == 1);
        CHECK(next_id(p, kNow) == "r");
    }

    TEST_CASE("due reviews interleave domains ahead of recall order") {
        Fixture f;
        f.cards = {question("a", "d1", "1.1"), question("b", "d1", "1.2"), question("c", "d2", "2.1")};
        f.memory["a"] = review_state(3.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["b"] = review_state(4.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["c"] = review_state(50.0, kNow - 10 * kMsPerDay, kNow);  // the safest of the three
        auto p = f.planner();
        std::vector<std::string> order;
        while (auto pick = p.next(kNow)) {
            order.push_back(pick->card->id);
            p.record(*pick->card, answered_at(kNow), true);
        }
        CHECK(order == std::vector<std::string>{"a", "c", "b"});
    }

    TEST_CASE("the same card is never shown twice in a row while another is available") {
        Fixture f;
        f.cards = {question("l", "d1", "1.1"), question("n", "d2", "2.1")};
        f.memory["l"] = learning_state(kNow - kMsPerMinute, kNow);
        auto p = f.planner();
        auto first = p.next(kNow);
        REQUIRE(first);
        CHECK(first->card->id == "l");
        CHECK(first->kind == PickKind::Learning);
        // Missed again: due again at once, but the other card goes first.
        p.record(*first->card, learning_state(kNow, kNow), false);
        CHECK(next_id(p, kNow) == "n");
        p.record(f.card("n"), answered_at(kNow), true);
        CHECK(next_id(p, kNow) == "l");

        SUBCASE("with nothing else left, the card may come straight back") {
            Fixture only;
            only.cards = {question("l", "d1", "1.1")};
            only.memory["l"] = learning_state(kNow - kMsPerMinute, kNow);
            auto q = only.planner();
            q.record(only.card("l"), learning_state(kNow, kNow), false);
            CHECK(next_id(q, kNow) == "l");
        }
    }

    TEST_CASE("new cards stop at the daily limit, counting those started earlier today") {
        Fixture f;
        for (int i = 0; i < 10; ++i)
            f.cards.push_back(question("n" + std::to_string(i), i % 2 ? "d2" : "d1", i % 2 ? "2.1" : "1.1"));
        f.config.new_per_day = 5;
        f.config.new_introduced_today = 3;
        auto p = f.planner();
        CHECK(p.new_available() == 10);
        CHECK(p.new_remaining() == 2);
        int shown = 0;
        const Card* last = nullptr;
        while (auto pick = p.next(kNow)) {
            CHECK(pick->kind == PickKind::New);
            p.record(*pick->card, answered_at(kNow), true);
            last = pick->card;
            ++shown;
            REQUIRE(shown <= 10);
        }
        CHECK(shown == 2);
        CHECK(p.new_remaining() == 0);
        CHECK(p.new_available() == 8);

        SUBCASE("an undo gives the new card back to the day's allowance") {
            REQUIRE(last);
            p.restore(*last, std::nullopt, true);
            CHECK(p.new_remaining() == 1);
            CHECK(p.new_available() == 9);
            auto again = p.next(kNow);
            REQUIRE(again);
            CHECK(again->kind == PickKind::New);
        }
        SUBCASE("the limit already reached before the session") {
            f.config.new_introduced_today = 5;
            CHECK_FALSE(f.planner().next(kNow).has_value());
        }
    }

    TEST_CASE("new cards are shared out by exam weight times weakness") {
        Fixture f;
        f.exam = make_exam(50, 50);
        for (int i = 0; i < 30; ++i) {
            f.cards.push_back(question("a" + std::to_string(i), "d1", "1.1"));
            f.cards.push_back(question("b" + std::to_string(i), "d2", "2.1"));
        }
        auto count_d1 = [&](const ExamMastery& mastery, std::size_t picks) {
            f.config.new_per_day = picks;
            auto p = f.planner(mastery, 7);
            std::size_t d1 = 0, total = 0;
            while (auto pick = p.next(kNow)) {
                if (pick->card->domain_id == "d1") ++d1;
                p.record(*pick->card, answered_at(kNow), true);
                ++total;
            }
            CHECK(total == picks);
            return d1;
        };
        // Equal weights, d1 strong (0.9) and d2 weak (0.3): shares 50 x (0.1 + 0.15) = 12.5 and
        // 50 x (0.7 + 0.15) = 42.5, so d1 gets 12.5 / 55 of 22 new cards = 5.
        CHECK(count_d1(domain_mastery(0.9, 0.3), 22) == 5);
        // Equal mastery: the weights alone decide, 50/50.
        CHECK(count_d1(domain_mastery(0.4, 0.4), 20) == 10);
        // A fully mastered domain keeps the 0.15 floor: 0.15 / (0.15 + 1.15) of 26 = 3.
        CHECK(count_d1(domain_mastery(1.0, 0.0), 26) == 3);

        SUBCASE("unequal weights with equal mastery") {
            f.exam = make_exam(75, 25);
            CHECK(count_d1(domain_mastery(0.5, 0.5), 20) == 15);
        }
    }

    TEST_CASE("after a miss, cards of the same objective come next for three picks") {
        Fixture f;
        for (int i = 0; i < 6; ++i) {
            f.cards.push_back(question("x" + std::to_string(i), "d1", "1.1"));
            f.cards.push_back(question("y" + std::to_string(i), "d1", "1.2"));
            f.cards.push_back(question("z" + std::to_string(i), "d2", "2.1"));
        }
        auto run = [&](bool first_correct) {
            auto p = f.planner(3);
            std::vector<const Card*> picks;
            for (int i = 0; i < 5; ++i) {
                auto pick = p.next(kNow);
                REQUIRE(pick);
                picks.push_back(pick->card);
                p.record(*pick->card, answered_at(kNow), i == 0 ? first_correct : true);
            }
            return picks;
        };
        auto missed = run(false);
        auto control = run(true);
        REQUIRE(missed[0] == control[0]);
        const std::string topic = missed[0]->topics[0];
        CHECK(missed[0]->domain_id == "d1");  // 60% of the weight
        for (int i = 1; i <= 3; ++i) {
            CAPTURE(i);
            CHECK(missed[static_cast<std::size_t>(i)]->topics[0] == topic);
        }
        // Without the miss the shares move on to d2 straight away.
        CHECK(control[1]->domain_id == "d2");

        SUBCASE("a sibling review jumps ahead of a review more at risk") {
            Fixture g;
            g.cards = {question("m", "d1", "1.1"), question("sib", "d1", "1.1"), question("risk", "d2", "2.1")};
            g.memory["sib"] = review_state(50.0, kNow - 10 * kMsPerDay, kNow);
            g.memory["risk"] = review_state(2.0, kNow - 10 * kMsPerDay, kNow);
            auto p = g.planner();
            CHECK(next_id(p, kNow) == "risk");
            p.record(g.card("m"), learning_state(kNow, kNow + kMsPerMinute), false);
            CHECK(next_id(p, kNow) == "sib");
        }
    }

    TEST_CASE("learning steps are shown when due, ahead of reviews") {
        Fixture f;
        f.cards = {question("l", "d1", "1.1"), question("r", "d2", "2.1"), question("n", "d1", "1.2")};
        f.memory["l"] = learning_state(kNow, kNow + 5 * kMsPerMinute);
        f.memory["r"] = review_state(5.0, kNow - 5 * kMsPerDay, kNow);
        auto p = f.planner();
        CHECK(p.learning(kNow) == 0);
        CHECK(next_id(p, kNow) == "r");
        const UnixMs later = kNow + 5 * kMsPerMinute;
        CHECK(p.learning(later) == 1);
        auto pick = p.next(later);
        REQUIRE(pick);
        CHECK(pick->card->id == "l");
        CHECK(pick->kind == PickKind::Learning);
    }

    TEST_CASE("a learning step due since an earlier day waits its turn among the due reviews") {
        Fixture f;
        f.cards = {question("step", "d1", "1.1"), question("risk", "d2", "2.1"), question("today", "d1", "1.2")};
        // Left unfinished two days ago; the review is more at risk than the step.
        f.memory["step"] = learning_state(kNow - 2 * kMsPerDay, kNow - 2 * kMsPerDay + 10 * kMsPerMinute);
        f.memory["risk"] = review_state(0.5, kNow - 10 * kMsPerDay, kNow - 9 * kMsPerDay);
        auto p = f.planner();
        auto first = p.next(kNow);
        REQUIRE(first);
        CHECK(first->card->id == "risk");
        CHECK(first->kind == PickKind::Review);
        p.record(*first->card, answered_at(kNow), true);
        auto second = p.next(kNow);
        REQUIRE(second);
        CHECK(second->card->id == "step");
        CHECK(second->kind == PickKind::Learning);

        // A step that fell due earlier today keeps its priority over the reviews.
        f.memory["today"] = learning_state(kNow - 40 * kMsPerMinute, kNow - 30 * kMsPerMinute);
        auto q = f.planner();
        auto pick = q.next(kNow);
        REQUIRE(pick);
        CHECK(pick->card->id == "today");
        CHECK(pick->kind == PickKind::Learning);
    }

    TEST_CASE("a due review avoids the objectives of the last two cards") {
        Fixture f;
        f.cards = {question("x", "d1", "1.1"), question("z", "d2", "2.1"), question("same", "d1", "1.1"),
                   question("other", "d1", "1.2"), question("z2", "d2", "2.1")};
        f.memory["same"] = review_state(2.0, kNow - 10 * kMsPerDay, kNow);  // the most at risk
        f.memory["other"] = review_state(20.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["z2"] = review_state(1.0, kNow - 10 * kMsPerDay, kNow);
        auto p = f.planner();
        p.record(f.card("x"), answered_at(kNow), true);
        p.record(f.card("z"), answered_at(kNow), true);
        // z2 shares the previous card's domain, "same" the objective of the card before.
        CHECK(next_id(p, kNow) == "other");

        // Regrading the last answer (marking it a guess) takes it back and records it again: the
        // card before it still counts as one of the last two.
        p.restore(f.card("z"), std::nullopt, true);
        p.record(f.card("z"), answered_at(kNow), true);
        CHECK(next_id(p, kNow) == "other");
    }

    TEST_CASE("among due reviews only the pick right after a miss prefers a sibling") {
        Fixture f;
        f.cards = {question("m", "d1", "1.1"), question("sib1", "d1", "1.1"), question("sib2", "d1", "1.1"),
                   question("risk", "d2", "2.1"), question("risk2", "d2", "2.1")};
        f.memory["sib1"] = review_state(50.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["sib2"] = review_state(40.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["risk"] = review_state(2.0, kNow - 10 * kMsPerDay, kNow);
        f.memory["risk2"] = review_state(3.0, kNow - 10 * kMsPerDay, kNow);
        auto p = f.planner();
        p.record(f.card("m"), learning_state(kNow, kNow + 10 * kMsPerMinute), false);
        CHECK(next_id(p, kNow) == "sib2");  // the sibling more at risk of the two
        p.record(f.card("sib2"), answered_at(kNow), true);
        // Still within the miss's three picks, but the reviews interleave again.
        CHECK(next_id(p, kNow) == "risk");
    }

    TEST_CASE("learning cards due within 20 minutes are shown early once nothing else is left") {
        Fixture f;
        f.cards = {question("l", "d1", "1.1"), question("n", "d2", "2.1")};
        f.memory["l"] = learning_state(kNow, kNow + 10 * kMsPerMinute);
        auto p = f.planner();
        CHECK(next_id(p, kNow) == "n");  // the new card first
        p.record(f.card("n"), answered_at(kNow), true);
        auto pick = p.next(kNow);
        REQUIRE(pick);
        CHECK(pick->card->id == "l");
        CHECK(pick->kind == PickKind::LearnAhead);

        f.memory["l"] = learning_state(kNow, kNow + 21 * kMsPerMinute);
        f.config.new_per_day = 0;
        CHECK_FALSE(f.planner().next(kNow).has_value());
        CHECK(next_id(f.planner(), kNow + kMsPerMinute) == "l");
    }

    TEST_CASE("excluded and suspended cards are not shown, a domain filter keeps to its domain") {
        Fixture f;
        f.cards = {question("a", "d1", "1.1"), question("b", "d2", "2.1")};
        auto progress = progress_of(f.cards);
        progress[0].suspended = true;
        SessionPlanner p(f.exam, progress, domain_mastery(0.4, 0.4), scheduler(), utc_day_counter(), f.config, 1);
        CHECK(p.new_available() == 1);
        CHECK(next_id(p, kNow) == "b");
        p.exclude(f.card("b"));
        CHECK_FALSE(p.next(kNow).has_value());

        f.config.domain = "d2";
        auto q = f.planner();
        CHECK(q.new_available() == 1);
        CHECK(next_id(q, kNow) == "b");
    }

    TEST_CASE("retention_for: 0.90 for a strong domain, up to 0.97 for a weak one") {
        Fixture f;
        f.cards = {question("s", "d1", "1.1"), question("w", "d2", "2.1"), question("t", "d1", "1.2")};
        ExamMastery m = domain_mastery(0.9, 0.3);
        auto p = f.planner(m);
        CHECK(p.retention_for(f.card("s")) == doctest::Approx(0.90));
        CHECK(p.retention_for(f.card("w")) == doctest::Approx(0.97));

        // A weak objective with answers lowers the figure even in a strong domain; one without
        // answers does not.
        m.topics["1.2"].mastery = 0.65;
        m.topics["1.2"].reviews = 4;
        m.topics["1.1"].mastery = 0.1;
        m.topics["1.1"].reviews = 0;
        auto q = f.planner(m);
        CHECK(q.retention_for(f.card("t")) == doctest::Approx(0.935));
        CHECK(q.retention_for(f.card("s")) == doctest::Approx(0.90));

        for (int i = 0; i <= 20; ++i) {
            const double mastery = i / 20.0;
            CAPTURE(mastery);
            auto r = f.planner(domain_mastery(mastery, mastery));
            const double value = r.retention_for(f.card("s"));
            CHECK(value >= 0.85);
            CHECK(value <= 0.97);
            CHECK(value == doctest::Approx(retention_for_mastery(mastery)));
        }
        CHECK(retention_for_mastery(0.80) == doctest::Approx(0.90));
        CHECK(retention_for_mastery(0.50) == doctest::Approx(0.97));
        CHECK(retention_for_mastery(0.0) == doctest::Approx(0.97));
    }
}

TEST_CASE("IdIndex finds what a map by id would, through growth, repeats and look-alike ids") {
    std::mt19937_64 rng(11);
    for (const bool reserved : {false, true}) {
        IdIndex<int> index;
        std::unordered_map<std::string, int> first, last;  // emplace keeps the first, assign the last
        IdIndex<int> assigned;
        if (reserved) index.reserve(500), assigned.reserve(500, 4);
        std::vector<std::string> ids = {"", "a", "ab", "ba", std::string(1, '\0'), std::string("a\0b", 3)};
        for (int i = 0; i < 3000; ++i) {
            // Ids sharing long prefixes, of many lengths, and repeats of earlier ones.
            std::string id = (rng() % 4 == 0 && !ids.empty()) ? ids[rng() % ids.size()]
                                                               : "bench.d1.q" + std::to_string(rng() % 5000);
            if (rng() % 7 == 0) id += std::string(rng() % 40, 'x');
            ids.push_back(id);
        }
        int value = 0;
        for (const auto& id : ids) {
            ++value;
            const bool added = first.emplace(id, value).second;
            CHECK(index.emplace(id, value) == added);
            last[id] = value;
            assigned.assign(id, value);
        }
        CHECK(index.size() == first.size());
        CHECK(assigned.size() == last.size());
        for (const auto& entry : first) {
            const int* found = index.find(entry.first);
            REQUIRE(found != nullptr);
            CHECK(*found == entry.second);
            REQUIRE(assigned.find(entry.first) != nullptr);
            CHECK(*assigned.find(entry.first) == last.at(entry.first));
        }
        // Ids never added, some a prefix or an extension of one that was.
        for (const std::string& missing :
             std::vector<std::string>{"bench.d1.q", "bench.d1.q5000", "bench.d1.q1x", "abc", "b", std::string(2, '\0')}) {
            CHECK(index.contains(missing) == (first.count(missing) > 0));
        }
        // The index keeps its own copy of the ids: the strings they came from may go.
        ids.clear();
        ids.shrink_to_fit();
        CHECK(index.contains("a"));
        CHECK_FALSE(IdIndex<int>().contains(""));
    }
}

}  // namespace test_planner
