#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../support/temp_dir.hpp"
#include "store/anki_package.hpp"

namespace test_anki_package {

using namespace certdrill;
namespace fs = std::filesystem;
using certdrill::testing::TempDir;

namespace {

const UnixMs kNow = 1'764'806'400'000;

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

std::uint32_t u32_at(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s.at(at + static_cast<std::size_t>(i)));
    return v;
}
std::uint16_t u16_at(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s.at(at)) |
                                      (static_cast<unsigned char>(s.at(at + 1)) << 8));
}
void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) s.at(at + i) = static_cast<char>((v >> (8 * i)) & 0xff);
}

// The first entry of a package as the zip format lays it out: where its central directory record
// and its local header are, and where its data starts. Offsets from the zip specification.
struct FirstEntry {
    std::size_t central = 0, local = 0, data = 0;
    std::uint32_t compressed_size = 0;
};

FirstEntry first_entry(const std::string& zip) {
    const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
    REQUIRE(end != std::string::npos);
    FirstEntry e;
    e.central = u32_at(zip, end + 16);
    REQUIRE(zip.compare(e.central, 4, std::string("PK\x01\x02", 4)) == 0);
    e.local = u32_at(zip, e.central + 42);
    REQUIRE(zip.compare(e.local, 4, std::string("PK\x03\x04", 4)) == 0);
    e.data = e.local + 30 + u16_at(zip, e.local + 26) + u16_at(zip, e.local + 28);
    e.compressed_size = u32_at(zip, e.central + 20);
    REQUIRE(e.data + e.compressed_size <= zip.size());
    return e;
}

// The entry's CRC-32 and uncompressed size, changed alike in both headers (a reader compares them).
void set_crc(std::string& zip, const FirstEntry& e, std::uint32_t crc) {
    put_u32(zip, e.central + 16, crc);
    put_u32(zip, e.local + 14, crc);
}
void set_size(std::string& zip, const FirstEntry& e, std::uint32_t size) {
    put_u32(zip, e.central + 24, size);
    put_u32(zip, e.local + 22, size);
}

std::string read_error(const fs::path& apkg) {
    try {
        store::read_anki_package(apkg);
    } catch (const store::AnkiPackageError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string write_error(const fs::path& apkg) {
    try {
        store::write_anki_package(apkg, "deck", {{"g1", "Front", "Back", {}}}, kNow);
    } catch (const store::AnkiPackageError& e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

// A valid package of two notes, returned as bytes to damage.
std::string valid_package(const TempDir& dir) {
    const fs::path apkg = dir.path / "valid.apkg";
    store::write_anki_package(apkg, "deck", {{"g1", "Front one", "Back one", {"t"}}, {"g2", "Front two", "Back two", {}}},
                              kNow);
    REQUIRE(store::read_anki_package(apkg).size() == 2);
    std::string bytes = read_bytes(apkg);
    fs::remove(apkg);
    return bytes;
}

}  // namespace

TEST_SUITE("anki package") {
    TEST_CASE("the collection is the package's first entry, deflated under its own name") {
        TempDir dir;
        const std::string zip = valid_package(dir);
        const auto e = first_entry(zip);
        CHECK(zip.compare(e.local + 30, 16, "collection.anki2") == 0);
        CHECK(u16_at(zip, e.local + 8) == 8);  // deflate
        CHECK(e.compressed_size < u32_at(zip, e.central + 24));
    }

    TEST_CASE("a package whose data does not match its CRC is refused as damaged") {
        TempDir dir;
        std::string zip = valid_package(dir);
        const auto e = first_entry(zip);
        set_crc(zip, e, u32_at(zip, e.central + 16) ^ 0x1u);
        const auto apkg = dir.path / "crc.apkg";
        write_bytes(apkg, zip);
        const std::string error = read_error(apkg);
        CHECK(contains(error, "'" + apkg.string() + "' is damaged"));
        CHECK(contains(error, "CRC"));
    }

    TEST_CASE("a package whose compressed data is corrupted is refused as damaged") {
        TempDir dir;
        std::string zip = valid_package(dir);
        const auto e = first_entry(zip);
        // Garbage over the middle of the deflate stream.
        for (std::size_t i = e.data + e.compressed_size / 3; i < e.data + 2 * e.compressed_size / 3; ++i)
            zip[i] = static_cast<char>(0xff);
        const auto apkg = dir.path / "data.apkg";
        write_bytes(apkg, zip);
        CHECK(read_error(apkg) == "'" + apkg.string() + "' is damaged: the compressed data is invalid");
    }

    TEST_CASE("a header that lies about the collection's size is not believed") {
        TempDir dir;
        std::string zip = valid_package(dir);
        const auto e = first_entry(zip);
        const std::uint32_t size = u32_at(zip, e.central + 24);
        const auto apkg = dir.path / "lies.apkg";
        SUBCASE("claiming fewer bytes than the data holds: reading stops there, and the CRC differs") {
            set_size(zip, e, size / 2);
            write_bytes(apkg, zip);
            const std::string error = read_error(apkg);
            INFO(error);
            CHECK(contains(error, "is damaged: CRC error"));
        }
        SUBCASE("claiming more bytes than the data holds") {
            set_size(zip, e, size + 4096);
            write_bytes(apkg, zip);
            CHECK(read_error(apkg) == "'" + apkg.string() + "' is damaged: collection.anki2 holds fewer bytes than its header says");
        }
        SUBCASE("claiming more than 1 GB: refused before reading") {
            set_size(zip, e, 0x7fffffffu);
            write_bytes(apkg, zip);
            CHECK(contains(read_error(apkg), "larger than 1 GB"));
        }
    }

    TEST_CASE("a package whose list of entries is damaged is refused as damaged, not as holding no collection") {
        TempDir dir;
        std::string zip = valid_package(dir);
        const auto e = first_entry(zip);
        zip[e.central] = static_cast<char>(zip[e.central] ^ 0x20);  // the entry's signature in the list
        const auto apkg = dir.path / "list.apkg";
        write_bytes(apkg, zip);
        CHECK(read_error(apkg) == "'" + apkg.string() + "' is damaged: its list of entries cannot be read");
    }

    TEST_CASE("a truncated or empty file, or a zip without a collection, is refused with the reason") {
        TempDir dir;
        const std::string zip = valid_package(dir);
        const auto truncated = dir.path / "truncated.apkg";
        write_bytes(truncated, zip.substr(0, zip.size() / 2));
        CHECK(contains(read_error(truncated), "'" + truncated.string() + "' is not an Anki package"));
        const auto empty = dir.write("empty.apkg", "");
        CHECK(contains(read_error(empty), "is not an Anki package"));

        // The same package with its collection renamed, in both headers.
        std::string renamed = zip;
        const auto e = first_entry(renamed);
        REQUIRE(renamed.compare(e.central + 46, 16, "collection.anki2") == 0);
        renamed[e.central + 46 + 15] = '3';
        renamed[e.local + 30 + 15] = '3';
        const auto other = dir.path / "other.apkg";
        write_bytes(other, renamed);
        CHECK(contains(read_error(other), "is a zip file but holds no Anki collection"));
    }

    TEST_CASE("writing never replaces a file, and a failed write leaves none behind") {
        TempDir dir;
        const auto existing = dir.write("existing.apkg", "keep me");
        CHECK(contains(write_error(existing), "'" + existing.string() + "' already exists"));
        CHECK(read_bytes(existing) == "keep me");
        // Not even a link to a file that does not exist yet is followed or replaced.
        const auto link = dir.path / "link.apkg";
        fs::create_symlink(dir.path / "target.apkg", link);
        CHECK(contains(write_error(link), "'" + link.string() + "' already exists"));
        CHECK(fs::is_symlink(link));
        CHECK_FALSE(fs::exists(dir.path / "target.apkg"));

        const auto nowhere = dir.path / "missing" / "deck.apkg";
        const std::string error = write_error(nowhere);
        CHECK(contains(error, "'" + nowhere.string() + "'"));
        CHECK(contains(error, "No such file or directory"));
        CHECK_FALSE(fs::exists(nowhere));
    }
}

}  // namespace test_anki_package
