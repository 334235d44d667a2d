#include <doctest/doctest.h>

#include "core/text.hpp"

using namespace certdrill;

TEST_CASE("bidirectional controls are found and stripped like other control characters") {
    // U+202E RIGHT-TO-LEFT OVERRIDE and U+2067 RIGHT-TO-LEFT ISOLATE inside ordinary text.
    const std::string rlo = "Approve \xE2\x80\xAE" "evil\xE2\x80\xAC";
    const auto found = text::find_control_character(rlo);
    REQUIRE(found);
    CHECK(found->code_point == 0x202E);
    CHECK(found->character_index == 8);
    CHECK(text::sanitize(rlo) == "Approve evil");
    CHECK(text::sanitize("a\xE2\x81\xA7" "b\xE2\x81\xA9") == "ab");
    for (char32_t cp : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})
        CHECK(text::is_bidi_control(cp));
    // Marks that only hint direction and ordinary punctuation nearby stay.
    CHECK_FALSE(text::is_bidi_control(0x200F));
    CHECK_FALSE(text::is_bidi_control(0x2014));
    CHECK_FALSE(text::find_control_character("plain \xE2\x80\x94 text"));
}
