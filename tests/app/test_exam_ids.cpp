// Exam and domain ids as users type them, read by the one resolver every command uses.
#include <doctest/doctest.h>

#include <string>

#include "../support/builtin_decks.hpp"
#include "../support/use_case_world.hpp"
#include "app/errors.hpp"
#include "app/exam_ids.hpp"

namespace test_exam_ids {

using namespace certdrill;

namespace {

const Library& library() { return testing::builtin_decks().library; }

std::string exam_id(const char* typed) {
    const Exam* e = app::match_exam(library(), typed);
    return e ? e->id : "(none)";
}

std::string domain_id(const char* exam, const char* typed) {
    const Domain* d = app::match_domain(*library().exam(exam), typed);
    return d ? d->id : "(none)";
}

// The problem and fix of the usage error `fn` throws.
template <class Fn>
std::string usage_message(Fn&& fn) {
    try {
        fn();
    } catch (const app::AppError& e) {
        CHECK(e.status() == app::ExitStatus::Usage);
        return std::string(e.what()) + " | " + e.fix();
    }
    FAIL("no usage error");
    return {};
}

}  // namespace

TEST_SUITE("exam ids") {
    TEST_CASE("exams by id or short name, in any case") {
        CHECK(exam_id("cissp") == "cissp");
        CHECK(exam_id("CISSP") == "cissp");
        CHECK(exam_id("Cism") == "cism");
        CHECK(exam_id("ISSMP") == "issmp");
        CHECK(exam_id("cissp-issmp") == "issmp");
        CHECK(exam_id("CISSP-ISSMP") == "issmp");
        CHECK(exam_id("cissp issmp") == "issmp");
        CHECK(exam_id("GSLC") == "gslc");
        CHECK(exam_id("cisp") == "(none)");
        CHECK(exam_id("") == "(none)");
    }

    TEST_CASE("domains by id in any case, or by number") {
        CHECK(domain_id("cissp", "d7") == "d7");
        CHECK(domain_id("cissp", "D7") == "d7");
        CHECK(domain_id("cissp", "7") == "d7");
        CHECK(domain_id("cissp", "9") == "(none)");
        CHECK(domain_id("cissp", "d9") == "(none)");
        CHECK(domain_id("cissp", "a3") == "(none)");
        CHECK(domain_id("gslc", "A3") == "a3");
        CHECK(domain_id("gslc", "3") == "a3");
        CHECK(domain_id("gslc", "d3") == "(none)");
        CHECK(domain_id("issmp", "06") == "d6");
    }

    TEST_CASE("an unknown exam names the flag or argument and lists the exams") {
        CHECK(usage_message([] { app::require_exam(library(), "cisp", app::kExamOption); }) ==
              "unknown exam 'cisp' given to --exam | use one of: cism, cissp, gslc, issmp (CISSP-ISSMP) (any case), "
              "e.g. --exam cism");
        CHECK(usage_message([] { app::require_exam(library(), "cisp", app::kExamArgument); }) ==
              "unknown exam 'cisp' given to the exam argument | use one of: cism, cissp, gslc, issmp (CISSP-ISSMP) "
              "(any case), e.g. certdrill exam cism");
    }

    TEST_CASE("an unknown domain names the flag and lists the exam's domains") {
        const Exam& gslc = *library().exam("gslc");
        CHECK(usage_message([&] { app::require_domain(gslc, "d3", app::kDomainOption); }) ==
              "exam gslc has no domain 'd3' (given to --domain) | use one of: a1 a2 a3 a4 a5 a6 a7 (any case) or the "
              "domain's number, e.g. --domain a1 or --domain 1");
    }

    TEST_CASE("with no exam named: the exam studied last, the only one there is, or a question") {
        testing::UseCaseWorld world;
        CHECK(app::implied_exam(library(), world.store) == nullptr);
        CHECK(app::study_exam(library(), world.store, std::nullopt, app::kExamOption, true) == nullptr);
        CHECK(usage_message([&] { app::study_exam(library(), world.store, std::nullopt, app::kExamOption, false); }) ==
              "which exam? there are no answers yet to carry on from | choose one with --exam: cism, cissp, gslc, "
              "issmp (CISSP-ISSMP)");
        CHECK(app::study_exam(library(), world.store, std::string("ISSMP"), app::kExamOption, true)->id == "issmp");

        store::ReviewRecord answer;
        answer.card_id = library().cards_of("gslc").front()->id;
        answer.at = world.now;
        answer.rating = 3;
        answer.correct = true;
        answer.after = world.scheduler.next(fsrs::MemoryState{}, fsrs::Rating::Good, world.now, 0);
        world.store.record_review(answer);
        CHECK(app::implied_exam(library(), world.store)->id == "gslc");

        SUBCASE("a library of one exam needs no choice") {
            testing::UseCaseWorld fresh;
            const Exam* only = app::implied_exam(testing::fixture_library(), fresh.store);
            REQUIRE(only);
            CHECK(only->id == "testexam");
        }
    }
}

}  // namespace test_exam_ids
