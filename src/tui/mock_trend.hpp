#pragma once
// The trend of finished mock exams against the pass mark (app::mock_trend), drawn as a small
// chart for the dashboard.
#include <vector>

#include "app/exam_report.hpp"
#include "tui/doc.hpp"

namespace certdrill::tui {

// One row per attempt, oldest first (the last `max_rows`): its date, a bar on a fixed scale
// with the pass mark drawn as a rule across the rows, the figure and pass or fail. Linear exams
// show percent correct (0-100%); the adaptive exam its ability estimate minus the passing
// standard (-3 to +3 logits), the figure the CAT decides on.
void mock_trend_chart(Doc& doc, const std::vector<app::TrendPoint>& points, int max_rows = 8);

}  // namespace certdrill::tui
