#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace test_text_safety {

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

TEST_CASE("a control character is found at its character, wherever it falls among printable text") {
    // A character at a time, as the rule reads: the first C0 or C1 control other than a new line,
    // DEL, or bidirectional control, counted in code points.
    const auto one_by_one = [](std::string_view s) -> std::optional<text::ControlCharacter> {
        std::size_t index = 0;
        for (std::size_t i = 0; i < s.size(); ++index) {
            const char32_t cp = text::decode_next(s, i);
            const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
            if ((cp != U'\n' && control) || text::is_bidi_control(cp)) return text::ControlCharacter{index, cp};
        }
        return std::nullopt;
    };
    // Every single byte of interest at every place among up to 19 printable characters, and
    // characters of two and three bytes before it, so that each lands on every place of an
    // eight-byte block and across its edge.
    const std::vector<std::string> specials = {"\x1F", "\x7F", "\n", "\t", "\x1B", " ", "~", "\xC2\x85",
                                               "\xC3\xA9", "\xE2\x80\x94", "\xE2\x80\xAE", "\xFF", "\x80"};
    int found = 0;
    for (const std::string& lead : {std::string(), std::string("\xC3\xA9"), std::string("\xE2\x80\x94")}) {
        for (const std::string& special : specials) {
            for (std::size_t before = 0; before < 19; ++before) {
                for (std::size_t after : {0, 1, 7, 8, 9}) {
                    const std::string s = lead + std::string(before, 'a') + special + std::string(after, 'z');
                    CAPTURE(s);
                    const auto expected = one_by_one(s);
                    const auto got = text::find_control_character(s);
                    REQUIRE(got.has_value() == expected.has_value());
                    if (!got) continue;
                    ++found;
                    CHECK(got->character_index == expected->character_index);
                    CHECK(got->code_point == expected->code_point);
                }
            }
        }
    }
    CHECK(found > 0);
    CHECK(text::find_control_character(std::string(64, 'x') + "\x01")->character_index == 64);
    CHECK_FALSE(text::find_control_character(std::string(64, 'x') + "\n" + std::string(3, '~')));
}

}  // namespace test_text_safety
