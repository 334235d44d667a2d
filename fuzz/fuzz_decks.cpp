// libFuzzer targets for the deck loader and the blueprint reader: any bytes as a deck file (read
// against the fixture blueprint) or as a blueprint. The loader must never crash, hang or leak,
// and must report every problem as a diagnostic rather than throw. Every input is loaded twice,
// with the clean-deck reader and with every file through the checking parser: the two results
// must be the same, and the clean-deck reader may take only a file with nothing to report.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "decks/loader.hpp"

namespace {

// One file per process, rewritten for every input.
const std::filesystem::path& scratch_file() {
    static const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("certdrill-fuzz-" + std::to_string(::getpid()) + ".json");
    return path;
}

void write_input(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    write_input(data, size);
    std::vector<std::filesystem::path> files;
#ifdef CERTDRILL_FUZZ_BLUEPRINT
    files = {scratch_file()};
#else
    files = {std::filesystem::path(CERTDRILL_FUZZ_FIXTURE_EXAM), scratch_file()};
#endif
    certdrill::decks::LoadCounts counts;
    const auto result = certdrill::decks::load_files(files, {}, &counts);
    // Whatever was accepted must be usable: every card names its exam and has an id.
    for (const auto& card : result.library.cards)
        if (card.id.empty()) __builtin_trap();
    certdrill::decks::LoadOptions checked;
    checked.fast_read = false;
    if (certdrill::decks::load_files(files, checked) != result) __builtin_trap();
    if (counts.decks_read_fast > 0 && !result.diagnostics.items.empty()) __builtin_trap();
    return 0;
}
