#include "app/exam_date.hpp"

#include "app/errors.hpp"
#include "store/progress_store.hpp"

#include <string>

#include "app/errors.hpp"

namespace certdrill::app {

void set_exam_date(const Services& s, const Exam& exam, std::string_view date) {
    const auto day = parse_exam_date(date);
    if (!day)
        throw usage_error("'" + std::string(date) + "' is not a date",
                          "give the exam date as YYYY-MM-DD, e.g. 2027-01-20");
    const UnixMs now = s.clock();
    if (days_left(*day, now, s.days) < 0)
        throw usage_error("the date " + std::string(date) + " has already passed (today is " +
                              format_study_day(s.days.day_of(now)) + ")",
                          "give the exam date, today or later");
    s.store.set_exam_date(exam.id, format_study_day(*day), now);
}

bool clear_exam_date(const Services& s, const Exam& exam) { return s.store.clear_exam_date(exam.id); }

}  // namespace certdrill::app
