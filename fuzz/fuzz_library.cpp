// libFuzzer target for the library cache's decoder: any bytes as an encoded LoadResult. The
// decoder must never crash, read outside its input or allocate without bound; what it accepts
// must encode back to bytes that decode to the same encoding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "decks/library_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decoded =
        certdrill::decks::decode_load_result(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!decoded) return 0;
    const std::string encoded = certdrill::decks::encode_load_result(*decoded);
    const auto again = certdrill::decks::decode_load_result(encoded);
    if (!again || certdrill::decks::encode_load_result(*again) != encoded) __builtin_trap();
    return 0;
}
