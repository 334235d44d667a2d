#pragma once
// Internal to the app layer: what the mock exam session's files (mock_exam_session.cpp,
// mock_exam_linear.cpp, mock_exam_adaptive.cpp) share.
#include <optional>
#include <string>
#include <vector>

#include "core/cat.hpp"
#include "core/model.hpp"

namespace certdrill::app::mock {

// The exam's questions, or one domain's.
std::vector<const Card*> questions_of(const Library& library, const Exam& exam,
                                      const std::optional<std::string>& domain);

// The adaptive test's rules from the exam's format.
cat::Rules exam_rules(const Exam& exam);

}  // namespace certdrill::app::mock
