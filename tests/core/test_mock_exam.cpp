#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/mastery.hpp"
#include "core/mock_exam.hpp"

namespace test_mock_exam {

using namespace certdrill;

namespace {

Exam weighted_exam(const std::string& id, const std::vector<double>& weights) {
    Exam e;
    e.id = id;
    e.name = id;
    e.short_name = id;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const std::string d = "d" + std::to_string(i + 1);
        e.domains.push_back(Domain{d, static_cast<int>(i + 1), "Domain " + d, weights[i], {}});
    }
    return e;
}

Exam cissp() { return weighted_exam("cissp", {16, 10, 13, 13, 13, 12, 13, 10}); }

Exam cism() {
    Exam e = weighted_exam("cism", {17, 20, 33, 30});
    e.format.scale_min = 200;
    e.format.scale_max = 800;
    e.format.passing_score = 450;
    e.format.passing_percent = 65;
    return e;
}

int sum(const std::map<std::string, int>& plan) {
    return std::accumulate(plan.begin(), plan.end(), 0, [](int acc, const auto& kv) { return acc + kv.second; });
}

std::vector<int> in_domain_order(const Exam& exam, const std::map<std::string, int>& plan) {
    std::vector<int> out;
    for (const auto& d : exam.domains) out.push_back(plan.count(d.id) ? plan.at(d.id) : -1);
    return out;
}

// `per_domain[i]` questions in domain d(i+1), plus one flashcard per domain.
std::vector<Card> make_cards(const Exam& exam, const std::vector<int>& per_domain) {
    std::vector<Card> cards;
    for (std::size_t i = 0; i < per_domain.size(); ++i) {
        const std::string d = exam.domains[i].id;
        for (int q = 0; q < per_domain[i]; ++q) {
            Card c;
            c.id = exam.id + "." + d + ".q" + std::to_string(q);
            c.exam_id = exam.id;
            c.domain_id = d;
            c.options = {Option{"right", "", true}, Option{"wrong", "no", false}};
            cards.push_back(c);
        }
        Card f;
        f.id = exam.id + "." + d + ".f";
        f.type = CardType::Flashcard;
        f.exam_id = exam.id;
        f.domain_id = d;
        f.front = "front";
        f.back = "back";
        cards.push_back(f);
    }
    return cards;
}

std::vector<const Card*> pointers(const std::vector<Card>& cards) {
    std::vector<const Card*> out;
    for (const auto& c : cards) out.push_back(&c);
    return out;
}

std::vector<std::string> ids(const MockDraw& draw) {
    std::vector<std::string> out;
    for (const Card* c : draw.items) out.push_back(c->id);
    return out;
}

}  // namespace

TEST_SUITE("mock exam") {
    TEST_CASE("allocate_items: largest remainder over the blueprint weights") {
        // CISSP, 150 items, weights 16/10/13/13/13/12/13/10 (sum 100):
        //   exact shares 24, 15, 19.5, 19.5, 19.5, 18, 19.5, 15 -> whole parts sum to 148;
        //   the two spare items go to the largest remainders, all 0.5 (d3, d4, d5, d7), and the
        //   tie goes by domain order: d3 and d4.
        CHECK(in_domain_order(cissp(), allocate_items(cissp(), 150)) ==
              std::vector<int>{24, 15, 20, 20, 19, 18, 19, 15});
        // CISSP, 125 items: 20, 12.5, 16.25, 16.25, 16.25, 15, 16.25, 12.5 -> wholes sum to 123;
        //   the two spare items go to the remainders of 0.5 (d2, d8) before those of 0.25.
        CHECK(in_domain_order(cissp(), allocate_items(cissp(), 125)) ==
              std::vector<int>{20, 13, 16, 16, 16, 15, 16, 13});
        // CISSP, 101 items: 16.16, 10.1, 13.13 x3, 12.12, 13.13, 10.1 -> 100; the spare item goes to
        //   the largest remainder, d1's 0.16.
        CHECK(in_domain_order(cissp(), allocate_items(cissp(), 101)) ==
              std::vector<int>{17, 10, 13, 13, 13, 12, 13, 10});
        // 99 items: 15.84, 9.9, 12.87 x3, 11.88, 12.87, 9.9 -> 92; the seven spare items go to the
        //   remainders .9 (d2, d8), .88 (d6) and .87 (d3, d4, d5, d7), leaving d1 (.84) at 15.
        CHECK(in_domain_order(cissp(), allocate_items(cissp(), 99)) ==
              std::vector<int>{15, 10, 13, 13, 13, 12, 13, 10});
        // CISM, 150 items, 17/20/33/30: 25.5, 30, 49.5, 45 -> 149; tie of 0.5 goes to d1.
        CHECK(in_domain_order(cism(), allocate_items(cism(), 150)) == std::vector<int>{26, 30, 49, 45});
        // Ten items of the CISM blueprint: 1.7, 2, 3.3, 3 -> 9; the largest remainder is d1's 0.7.
        CHECK(in_domain_order(cism(), allocate_items(cism(), 10)) == std::vector<int>{2, 2, 3, 3});

        // An unweighted exam shares equally: 115 / 7 = 16.43 each -> 112; d1, d2, d3 get one more.
        Exam gslc = weighted_exam("gslc", {0, 0, 0, 0, 0, 0, 0});
        gslc.weighted = false;
        CHECK(in_domain_order(gslc, allocate_items(gslc, 115)) == std::vector<int>{17, 17, 17, 16, 16, 16, 16});

        for (int total : {1, 7, 99, 100, 101, 149, 150, 151, 250}) {
            CAPTURE(total);
            CHECK(sum(allocate_items(cissp(), total)) == total);
            CHECK(sum(allocate_items(cism(), total)) == total);
        }
        CHECK(sum(allocate_items(cissp(), 0)) == 0);
    }

    TEST_CASE("draw_mock_exam follows the allocation and draws questions only") {
        const Exam exam = cism();
        const auto cards = make_cards(exam, {40, 40, 60, 60});
        const auto draw = draw_mock_exam(exam, pointers(cards), 150, 11);
        REQUIRE(draw.items.size() == 150);
        CHECK(draw.notes.empty());
        CHECK(draw.plan == allocate_items(exam, 150));
        std::map<std::string, int> counted;
        std::set<std::string> unique;
        for (const Card* c : draw.items) {
            CHECK(c->is_question());
            ++counted[c->domain_id];
            unique.insert(c->id);
        }
        CHECK(counted == draw.plan);
        CHECK(unique.size() == 150);
        // Interleaved rather than grouped by domain.
        int switches = 0;
        for (std::size_t i = 1; i < draw.items.size(); ++i)
            switches += draw.items[i]->domain_id != draw.items[i - 1]->domain_id;
        CHECK(switches > 60);
    }

    TEST_CASE("a domain short of questions gives its shortfall to the others") {
        const Exam exam = cissp();
        // d2 should get 15 of 150 but has only 5 questions (and a flashcard, which never counts).
        const auto cards = make_cards(exam, {40, 5, 40, 40, 40, 40, 40, 40});
        const auto draw = draw_mock_exam(exam, pointers(cards), 150, 3);
        REQUIRE(draw.items.size() == 150);
        CHECK(draw.plan.at("d2") == 5);
        CHECK(sum(draw.plan) == 150);
        // The full allocation is 24/15/20/20/19/18/19/15; d2 fills 5, so 10 items are left over and
        // shared among the other seven by the same method (weights 16/13/13/13/12/13/10 of 90):
        // 1.78, 1.44 x3, 1.44, 1.33, 1.44, 1.11 -> one each (7), and the three spare items go to the
        // largest remainders: d1 (.78), then d3 and d4 (.44, first by domain order).
        CHECK(in_domain_order(exam, draw.plan) == std::vector<int>{26, 5, 22, 22, 20, 19, 20, 16});
        REQUIRE(draw.notes.size() == 1);
        CHECK(draw.notes[0].find("d2") != std::string::npos);

        SUBCASE("fewer questions than items: the exam is shortened and says so") {
            const auto small = make_cards(exam, {3, 2, 2, 2, 2, 2, 2, 2});
            const auto d = draw_mock_exam(exam, pointers(small), 150, 3);
            CHECK(d.items.size() == 17);
            CHECK(sum(d.plan) == 17);
            REQUIRE_FALSE(d.notes.empty());
            CHECK(d.notes[0].find("17") != std::string::npos);
            for (const Card* c : d.items) CHECK(c->is_question());
        }
    }

    TEST_CASE("the same seed draws the same exam, another seed a different one") {
        const Exam exam = cissp();
        const auto cards = make_cards(exam, {30, 30, 30, 30, 30, 30, 30, 30});
        const auto a = draw_mock_exam(exam, pointers(cards), 100, 42);
        const auto b = draw_mock_exam(exam, pointers(cards), 100, 42);
        const auto c = draw_mock_exam(exam, pointers(cards), 100, 43);
        CHECK(ids(a) == ids(b));
        CHECK(ids(a) != ids(c));
        CHECK(a.plan == c.plan);
        // The input order of the cards does not matter.
        auto shuffled = pointers(cards);
        std::reverse(shuffled.begin(), shuffled.end());
        CHECK(ids(draw_mock_exam(exam, shuffled, 100, 42)) == ids(a));
        // Cards of other exams are ignored.
        Exam other = weighted_exam("other", {100});
        auto foreign = make_cards(other, {50});
        auto mixed = pointers(cards);
        for (const auto& f : foreign) mixed.push_back(&f);
        for (const Card* item : draw_mock_exam(exam, mixed, 100, 42).items) CHECK(item->exam_id == "cissp");
    }

    TEST_CASE("score_mock_exam counts per domain, unanswered as wrong, and applies the pass mark") {
        Exam exam = cism();
        const auto cards = make_cards(exam, {4, 4, 4, 4});
        std::vector<const Card*> items;
        for (const auto& c : cards)
            if (c.is_question()) items.push_back(&c);
        REQUIRE(items.size() == 16);
        std::vector<bool> answered(16, true), correct(16, false);
        // d1 all right, d2 three, d3 two (one unanswered), d4 none; 9 of 16 = 56.25%.
        for (int i : {0, 1, 2, 3, 4, 5, 6, 8, 9}) correct[static_cast<std::size_t>(i)] = true;
        answered[10] = false;
        const auto s = score_mock_exam(exam, items, answered, correct);
        CHECK(s.items == 16);
        CHECK(s.answered == 15);
        CHECK(s.correct == 9);
        CHECK(s.percent == doctest::Approx(56.25));
        CHECK_FALSE(s.passed);
        CHECK(s.domains.at("d1").correct == 4);
        CHECK(s.domains.at("d2").correct == 3);
        CHECK(s.domains.at("d3").correct == 2);
        CHECK(s.domains.at("d3").items == 4);
        CHECK(s.domains.at("d4").percent() == doctest::Approx(0.0));
        CHECK(s.domains.at("d2").percent() == doctest::Approx(75.0));
        REQUIRE(s.scaled);
        // 56.25% is below the 65% mark: 200 + 250 x 56.25 / 65 = 416.3.
        CHECK(*s.scaled == 416);

        // Exactly the pass mark passes: 13 of 20 = 65%.
        std::vector<const Card*> twenty(20, items[0]);
        std::vector<bool> right(20, false);
        for (int i = 0; i < 13; ++i) right[static_cast<std::size_t>(i)] = true;
        const auto at_mark = score_mock_exam(exam, twenty, std::vector<bool>(20, true), right);
        CHECK(at_mark.percent == doctest::Approx(65.0));
        CHECK(at_mark.passed);
        CHECK(at_mark.scaled == 450);
    }

    TEST_CASE("scaled_score maps 0%, the pass mark and 100% onto the exam's scale") {
        const ExamFormat f = cism().format;
        CHECK(scaled_score(f, 0.0) == 200);
        CHECK(scaled_score(f, 65.0) == 450);
        CHECK(scaled_score(f, 100.0) == 800);
        CHECK(scaled_score(f, 82.5) == 625);   // half way from the mark to the top
        CHECK(scaled_score(f, 32.5) == 325);   // half way from the bottom to the mark
        CHECK(scaled_score(f, 120.0) == 800);  // clamped
        CHECK(scaled_score(f, -5.0) == 200);

        const ExamFormat c = [] {
            ExamFormat x;
            x.scale_min = 0;
            x.scale_max = 1000;
            x.passing_score = 700;
            x.passing_percent = 70;
            return x;
        }();
        CHECK(scaled_score(c, 70.0) == 700);
        CHECK(scaled_score(c, 85.0) == 850);

        ExamFormat none;  // no published scale (e.g. GSLC)
        CHECK_FALSE(scaled_score(none, 80.0).has_value());
    }
}

}  // namespace test_mock_exam
