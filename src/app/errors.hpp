#pragma once
// One error model across the app boundary: whatever a use case throws is reported to the user as
// a problem and, where there is one, the fix. Callers outside the app layer (the trainer, the
// command line) catch std::exception and ask explain() for the words, never the store's types.
#include <exception>
#include <string>

namespace certdrill::app {

struct ErrorReport {
    std::string problem;
    std::string fix;  // empty when there is nothing the user can do
};

ErrorReport explain(const std::exception& error);

}  // namespace certdrill::app
