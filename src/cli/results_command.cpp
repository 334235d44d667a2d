#include "cli/results_command.hpp"

#include <ostream>

#include "app/results.hpp"
#include "app/exam_ids.hpp"
#include "cli/deck_output.hpp"
#include "cli/results_json.hpp"
#include "cli/runtime.hpp"
#include "core/text.hpp"
#include "decks/deck_writer.hpp"

namespace certdrill::cli {

int results_export_command(const app::Services& services, const ResultsExportOptions& options, std::ostream& out,
                           std::ostream& err) {
    return report_errors(err, [&] {
    if (options.exam) app::require_exam(services.library, *options.exam, app::kExamOption);
    std::string learner = options.name ? text::sanitize(*options.name) : app::anonymous_learner(options.seed);
    if (learner.find_first_not_of(' ') == std::string::npos)
        throw app::usage_error("--name is empty", "give a name, or leave --name out to stay anonymous");
    const auto results = app::collect_results(services, options.exam, options.decks, learner);
    write_new_output(options.out_file, results_json(results), "choose another --out file, or move the old one away");
    out << "wrote " << options.out_file << ": " << results.answers.size()
        << (results.answers.size() == 1 ? " answer" : " answers") << " to " << results.cards.size()
        << (results.cards.size() == 1 ? " card" : " cards") << ", " << results.attempts.size() << " mock "
        << (results.attempts.size() == 1 ? "exam" : "exams") << ", as '" << learner << "'\n";
    return 0;
    });
}

}  // namespace certdrill::cli
