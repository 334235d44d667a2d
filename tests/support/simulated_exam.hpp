#pragma once
// A made-up exam for simulations: one domain per weight, two objectives each, and the given
// number of two-option questions per domain (ids sim.d<N>.q<M>).
#include <string>
#include <vector>

#include "core/model.hpp"

namespace certdrill::testing {

inline Library simulated_exam_library(const std::vector<double>& weights, int questions_per_domain) {
    Library lib;
    Exam exam;
    exam.id = "sim";
    exam.name = "Simulated Exam";
    exam.short_name = "SIM";
    exam.format.passing_percent = 70.0;
    for (int d = 1; d <= static_cast<int>(weights.size()); ++d) {
        const std::string id = "d" + std::to_string(d);
        exam.domains.push_back(Domain{
            id,
            d,
            "Domain " + std::to_string(d),
            weights[static_cast<std::size_t>(d - 1)],
            {Objective{std::to_string(d) + ".1", "first", {}}, Objective{std::to_string(d) + ".2", "second", {}}}});
        for (int q = 0; q < questions_per_domain; ++q) {
            Card c;
            c.id = "sim." + id + ".q" + std::to_string(q);
            c.exam_id = "sim";
            c.domain_id = id;
            c.topics = {std::to_string(d) + "." + std::to_string(1 + q % 2)};
            c.stem = "Question " + c.id;
            c.options = {Option{"right", "", true}, Option{"wrong", "no", false}};
            lib.cards.push_back(std::move(c));
        }
    }
    lib.exams.push_back(std::move(exam));
    return lib;
}

}  // namespace certdrill::testing
