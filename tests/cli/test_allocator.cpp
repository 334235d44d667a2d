// The program is linked with jemalloc and runs its heap on huge pages (src/allocator_config.cpp).
// A link that quietly dropped the library would cost a third of a large start's CPU and no other
// test would notice, so the built program is asked for jemalloc's own report of its settings.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../support/temp_dir.hpp"

namespace test_allocator {

#ifdef CERTDRILL_EXPECT_JEMALLOC
TEST_CASE("the program allocates with jemalloc, its heap and bookkeeping on huge pages") {
    certdrill::testing::TempDir dir;
    const auto report = dir.path / "stderr.txt";
    // stats_print makes jemalloc print its options at exit; only a program running on jemalloc
    // prints them.
    const std::string command = std::string("MALLOC_CONF=stats_print:true '") + CERTDRILL_BINARY +
                                "' --version >/dev/null 2>'" + report.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream in(report);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("Begin jemalloc statistics") != std::string::npos);
    CHECK(text.str().find("opt.thp: \"always\"") != std::string::npos);
    CHECK(text.str().find("opt.metadata_thp: \"always\"") != std::string::npos);
}
#endif

}  // namespace test_allocator
