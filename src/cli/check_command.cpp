#include "cli/check_command.hpp"

#include <ostream>

#include "app/errors.hpp"
#include "cli/runtime.hpp"
#include "core/text.hpp"
#include "store/schema.hpp"

namespace certdrill::cli {

int check_command(const std::filesystem::path& db, std::ostream& out, std::ostream& err) {
    const auto problems = store::check_progress_database(db);
    const std::string name = text::sanitize(db.string());
    if (problems.empty()) {
        out << name << ": ok\n";
        return app::exit_code(app::ExitStatus::Ok);
    }
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < problems.size() && i < kShown; ++i)
        out << name << ": " << text::sanitize(problems[i]) << '\n';
    if (problems.size() > kShown) out << name << ": ... and " << problems.size() - kShown << " more\n";
    print_error(err, "progress database '" + db.string() + "' is damaged (" + std::to_string(problems.size()) +
                         (problems.size() == 1 ? " problem" : " problems") + ")",
                "restore a backup (" + db.string() + ".bak-v<N>) if there is one, try `sqlite3 " + db.string() +
                    " .recover`, or move the file aside to start afresh");
    return app::exit_code(app::ExitStatus::FailureFound);
}

}  // namespace certdrill::cli
