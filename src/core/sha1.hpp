#pragma once
// SHA-1 (FIPS 180-4), only for the field checksum that Anki collections store with each note
// (the first 32 bits of the SHA-1 of the sort field). Not for security. Pure.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace certdrill {

std::array<std::uint8_t, 20> sha1(std::string_view data);
std::string sha1_hex(std::string_view data);

}  // namespace certdrill
