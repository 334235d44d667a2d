#include "tui/tui.hpp"

#include <ostream>

namespace certdrill::tui {

int run_tui(const app::Services&, const TuiOptions&, std::ostream& err) {
    err << "certdrill: the full-screen trainer is not built into this version; use --plain\n";
    return 1;
}

}  // namespace certdrill::tui
