#pragma once
// The one error model at the application boundary. Every command ends with one of these exit
// statuses, and every failure a user can meet reaches the command line as an AppError (or a
// store::StoreError, which is always a data or storage error) carrying what went wrong and how
// to fix it. The statuses are documented in README.md and certdrill(1).
#include <stdexcept>
#include <string>

namespace certdrill::app {

enum class ExitStatus : int {
    Ok = 0,
    FailureFound = 1,  // the command ran and found problems: `validate` errors, bad `replay` lines
    Usage = 2,         // wrong arguments, options, environment or configuration
    DataError = 3,     // unreadable decks or input files, an unusable progress database
};

inline int exit_code(ExitStatus status) { return static_cast<int>(status); }

class AppError : public std::runtime_error {
public:
    AppError(ExitStatus status, const std::string& problem, std::string fix = {})
        : std::runtime_error(problem), status_(status), fix_(std::move(fix)) {}

    ExitStatus status() const noexcept { return status_; }
    const std::string& fix() const noexcept { return fix_; }

private:
    ExitStatus status_;
    std::string fix_;
};

inline AppError usage_error(const std::string& problem, std::string fix = {}) {
    return AppError(ExitStatus::Usage, problem, std::move(fix));
}

inline AppError data_error(const std::string& problem, std::string fix = {}) {
    return AppError(ExitStatus::DataError, problem, std::move(fix));
}

}  // namespace certdrill::app
