#pragma once
// `certdrill plan`: sets or clears an exam date and prints the plan towards it.
#include <iosfwd>
#include <optional>
#include <string>

#include "app/services.hpp"

namespace certdrill::cli {

// Sets `date` (or clears the date with `clear`), then prints the exam's plan. Returns the exit
// code; a bad or past date throws a usage AppError (exit 2).
int plan_command(const app::Services& services, const Exam& exam, const std::optional<std::string>& date, bool clear,
                 std::ostream& out);

}  // namespace certdrill::cli
