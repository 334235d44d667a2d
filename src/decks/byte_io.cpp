#include "decks/byte_io.hpp"

#include <array>
#include <bit>
#include <stdexcept>

namespace certdrill::decks {

namespace {

template <class Unsigned>
std::array<char, sizeof(Unsigned)> little_endian(Unsigned v) {
    std::array<char, sizeof(Unsigned)> out{};
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i)
        out[i] = static_cast<char>(static_cast<std::uint8_t>(v >> (8 * i)));
    return out;
}

}  // namespace

void ByteWriter::bytes(std::string_view raw) {
    out_.append(raw);
    if (sink_ && out_.size() >= kChunk) flush();
}

bool ByteWriter::flush() {
    if (!sink_) return true;
    if (!sink_failed_ && !out_.empty()) sink_failed_ = !sink_(out_);
    out_.clear();
    return !sink_failed_;
}

void ByteWriter::u32(std::uint32_t v) {
    const auto b = little_endian(v);
    bytes({b.data(), b.size()});
}

void ByteWriter::u64(std::uint64_t v) {
    const auto b = little_endian(v);
    bytes({b.data(), b.size()});
}

void ByteWriter::f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }

void ByteWriter::count(std::size_t n) {
    if (n > UINT32_MAX) throw std::length_error("too many elements to encode");
    u32(static_cast<std::uint32_t>(n));
}

void ByteWriter::str(std::string_view s) {
    count(s.size());
    bytes(s);
}

bool ByteReader::take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
        ok_ = false;
        return false;
    }
    return true;
}

std::uint8_t ByteReader::u8() {
    if (!take(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
}

std::uint32_t ByteReader::u32() {
    if (!take(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in_[pos_++])) << (8 * i);
    return v;
}

std::uint64_t ByteReader::u64() {
    if (!take(8)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_++])) << (8 * i);
    return v;
}

double ByteReader::f64() { return std::bit_cast<double>(u64()); }

bool ByteReader::boolean() {
    const std::uint8_t v = u8();
    if (v > 1) fail();
    return v == 1;
}

std::string_view ByteReader::view() {
    const std::uint32_t n = u32();
    if (!take(n)) return {};
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
}

std::string ByteReader::str() { return std::string(view()); }

std::size_t ByteReader::count(std::size_t min_element_bytes) {
    const std::uint32_t n = u32();
    if (ok_ && min_element_bytes > 0 && (in_.size() - pos_) / min_element_bytes < n) fail();
    return ok_ ? n : 0;
}

}  // namespace certdrill::decks
