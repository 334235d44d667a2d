#pragma once
// A small little-endian binary encoding: fixed-width integers, doubles by their bits, strings
// and counts with a 32-bit length before them. ByteReader checks every read against the end of
// its buffer: past the end, or on a value out of range, it stops and reports failure instead of
// reading further, so any bytes at all can be handed to it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace certdrill::decks {

class ByteWriter {
public:
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v);
    void u64(std::uint64_t v);
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void f64(double v);
    void boolean(bool v) { u8(v ? 1 : 0); }
    void str(std::string_view s);
    // A count of elements that follow; throws std::length_error above 2^32 - 1.
    void count(std::size_t n);
    void bytes(std::string_view raw) { out_.append(raw); }

    const std::string& data() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class ByteReader {
public:
    explicit ByteReader(std::string_view in) : in_(in) {}

    std::uint8_t u8();
    std::uint32_t u32();
    std::uint64_t u64();
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    double f64();
    bool boolean();
    std::string str();
    std::string_view view();  // a string's bytes, without copying them
    // A count of elements of at least `min_element_bytes` each: a count the rest of the buffer
    // cannot hold fails, so a damaged count never makes the caller reserve gigabytes.
    std::size_t count(std::size_t min_element_bytes);
    // Fails the reader (e.g. for an enum value out of range); every later read returns zero.
    void fail() { ok_ = false; }

    bool ok() const { return ok_; }
    bool at_end() const { return pos_ == in_.size(); }

private:
    bool take(std::size_t n);  // whether n more bytes are there; fails the reader when not
    std::string_view in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

}  // namespace certdrill::decks
