#pragma once
// Plain mode: the same study sessions and mock exams as the terminal UI, as lines of text on
// standard output with answers read line by line from standard input. For screen readers and
// scripts.
#include <iosfwd>

#include "app/mock_exam_session.hpp"
#include "app/study_session.hpp"

namespace certdrill::cli {

int run_plain_study(const app::Services& services, const app::StudyOptions& options, std::istream& in,
                    std::ostream& out);
int run_plain_exam(const app::Services& services, const app::MockOptions& options, std::istream& in, std::ostream& out);

}  // namespace certdrill::cli
