// libFuzzer target for the progress import reader: any bytes as an export file. Every line is
// either a valid answer or an error naming it; nothing may crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "app/progress_sync.hpp"
#include "store/progress_store.hpp"  // the answers it reads are store records

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    certdrill::app::ImportReport report;
    const auto answers = certdrill::app::read_export(in, report);
    for (const auto& a : answers)
        if (a.uuid.size() != 36 || a.card_id.empty() || a.rating < 1 || a.rating > 4) __builtin_trap();
    return 0;
}
