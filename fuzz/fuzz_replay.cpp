// Differential libFuzzer target for `certdrill replay`: the fast reader of plain histories and
// the general JSON parser must agree on every line the fast reader accepts, and neither may
// crash. The whole command also runs on the input as a multi-line file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "app/replay.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string_view line = input.substr(0, input.find('\n'));

    std::string fast_out;
    std::string general_out;
    const auto fast = certdrill::app::replay_line_with(certdrill::app::ReplayParser::PlainOnly, line, fast_out);
    const auto general = certdrill::app::replay_line_with(certdrill::app::ReplayParser::GeneralOnly, line, general_out);
    if (fast.handled) {
        // Accepted by the fast reader: the general parser must give the same result.
        if (fast.error != general.error) __builtin_trap();
        if (!fast.error && fast_out != general_out) __builtin_trap();
    }

    std::istringstream in{std::string(input)};
    std::ostringstream out, err;
    certdrill::app::run_replay(in, out, err);
    return 0;
}
