#pragma once
// Setting and clearing an exam date (`certdrill plan`).
#include <string_view>

#include "app/services.hpp"

namespace certdrill::app {

// Stores the exam date given as "YYYY-MM-DD". Throws a usage AppError, with the fix, when the
// text is not a real date or the date has already passed.
void set_exam_date(const Services& services, const Exam& exam, std::string_view date);
// Removes the exam's date; false when none was set.
bool clear_exam_date(const Services& services, const Exam& exam);

}  // namespace certdrill::app
