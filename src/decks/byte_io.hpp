#pragma once
// A small little-endian binary encoding: fixed-width integers, doubles by their bits, strings
// and counts with a 32-bit length before them. ByteReader checks every read against the end of
// its buffer: past the end, or on a value out of range, it stops and reports failure instead of
// reading further, so any bytes at all can be handed to it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace certdrill::decks {

// Collects the bytes in memory, or, given a sink, hands them on in chunks of about a megabyte
// (so that a large encoding is never held whole).
class ByteWriter {
public:
    // Takes the next chunk; false when it could not (the writer then drops the rest).
    using Sink = std::function<bool(std::string_view)>;

    ByteWriter() = default;
    explicit ByteWriter(Sink sink) : sink_(std::move(sink)) {}

    void u8(std::uint8_t v) { bytes(std::string_view(reinterpret_cast<const char*>(&v), 1)); }
    void u32(std::uint32_t v);
    void u64(std::uint64_t v);
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void f64(double v);
    void boolean(bool v) { u8(v ? 1 : 0); }
    void str(std::string_view s);
    // A count of elements that follow; throws std::length_error above 2^32 - 1.
    void count(std::size_t n);
    void bytes(std::string_view raw);

    // Hands what is buffered to the sink; false when the sink failed, now or before.
    bool flush();

    const std::string& data() const { return out_; }  // without a sink: everything written
    std::string take() { return std::move(out_); }

private:
    static constexpr std::size_t kChunk = 1 << 20;
    std::string out_;
    Sink sink_;
    bool sink_failed_ = false;
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
    std::size_t position() const { return pos_; }  // bytes read so far

private:
    bool take(std::size_t n);  // whether n more bytes are there; fails the reader when not
    std::string_view in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

}  // namespace certdrill::decks
