#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <utility>

#include <sys/stat.h>

#include "../support/temp_dir.hpp"
#include "decks/library_cache.hpp"
#include "decks/library_codec.hpp"
#include "decks/loader.hpp"
#include "decks/resolved_paths.hpp"

namespace test_library_cache {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;
const fs::path kBuiltin = fs::path(CERTDRILL_SOURCE_DIR) / "decks";

std::vector<fs::path> builtin_files() {
    decks::Diagnostics found;
    auto files = decks::collect_deck_files({kBuiltin}, found);
    REQUIRE(found.items.empty());
    return files;
}

// The fixture blueprint and deck, then every malformed file: errors and warnings of every kind.
std::vector<fs::path> files_with_problems() {
    decks::Diagnostics found;
    auto files =
        decks::collect_deck_files({kData / "fixture-exam", kData / "fixture-decks", kData / "malformed"}, found);
    REQUIRE(found.items.empty());
    return files;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<fs::path> entries(const fs::path& dir) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir)) found.push_back(e.path());
    std::sort(found.begin(), found.end());
    return found;
}

// The one cache entry in `dir`.
fs::path only_entry(const fs::path& dir) {
    const auto found = entries(dir);
    REQUIRE(found.size() == 1);
    return found.front();
}

// A LoadResult in which every field of every encoded struct differs from its default.
decks::LoadResult every_field_set() {
    decks::LoadResult r;
    Exam e;
    e.id = "x";
    e.name = "X exam";
    e.short_name = "X";
    e.vendor = "V";
    e.outline = {"2024", "2024-04-15", "2027-01-01", "https://o", "2026-01-02", true, "outline notes"};
    e.format.items_min = 100;
    e.format.items_max = 150;
    e.format.minutes = 180;
    e.format.scale_min = 100;
    e.format.scale_max = 1000;
    e.format.passing_score = 700;
    e.format.passing_percent = 64.5;
    e.format.adaptive = true;
    e.format.revisit = false;
    e.format.open_book = true;
    e.format.notes = "format notes";
    e.format.scoring = {"scaled", true, Provenance{"https://s", "2026-01-03", true, "n1"}};
    e.format.navigation = {3, Provenance{"https://n", "2026-01-04", false, "n2"}};
    e.format.cat = {25, 97.5, 80, Provenance{"https://c", "2026-01-05", true, "n3"}};
    e.weighted = false;
    e.domains = {{"d1", 1, "One", 12.5, {{"1A", "Part", {{"1A1", "Topic", {{"1A1a", "Sub", {}}}}}}}}};
    e.file = "exam.json";
    r.library.exams = {e, Exam{}};
    r.library.decks = {{"deck", "Deck", "x", "Ann", "2", "CC-BY", "about", "deck.json", 2}};
    Card c;
    c.id = "c1";
    c.type = CardType::Multi;
    c.exam_id = "x";
    c.domain_id = "d1";
    c.deck_id = "deck";
    c.topics = {"1A1", "scenario"};
    c.difficulty = 3;
    c.skill = Skill::Judgement;
    c.references = {"ref"};
    c.stem = "Which two?";
    c.options = {{"A text", "A reason", true}, {"B text", "", false}};
    c.choose = 2;
    c.explanation = "because";
    c.front = "front";
    c.back = "back";
    c.file = "deck.json";
    c.line = 7;
    c.column = 9;
    Card flash;
    flash.type = CardType::Flashcard;
    flash.skill = Skill::Recall;
    r.library.cards = {c, flash};
    r.diagnostics.add({"deck.json", 3, 4, decks::Severity::Warning, "c1", "/cards/0", "message", "hint"});
    r.diagnostics.add({"other.json", 0, 0, decks::Severity::Error, "", "", "m", ""});
    decks::FileSummary s{"deck.json", "deck", "deck", "x", 2, {{"multi", 1}}, {{"d1", 2}}, 1, 3, 99.5, false};
    r.summaries = {s, decks::FileSummary{}};
    return r;
}

// The fixture's blueprint and deck copied into `dir` as exam.json and deck.json, for a test that
// changes them; the two files in load order.
std::vector<fs::path> copy_fixture(const TempDir& dir) {
    fs::copy(kData / "fixture-exam" / "exam.json", dir.path / "exam.json");
    fs::copy(kData / "fixture-decks" / "testexam.json", dir.path / "deck.json");
    return {dir.path / "exam.json", dir.path / "deck.json"};
}

// Cache settings whose clock runs an hour ahead, so that files just written count as settled.
decks::CacheSettings an_hour_on(fs::path dir) {
    decks::CacheSettings settings{std::move(dir), "test 1"};
    settings.now = [] { return std::chrono::system_clock::now() + std::chrono::hours(1); };
    return settings;
}

}  // namespace

TEST_SUITE("library cache") {
    TEST_CASE("the encoding keeps every field of the library, the diagnostics and the summaries") {
        const auto original = every_field_set();
        const auto decoded = decks::decode_load_result(decks::encode_load_result(original));
        REQUIRE(decoded.has_value());
        CHECK(*decoded == original);
        // The comparison itself sees a changed field deep inside.
        auto changed = original;
        changed.library.exams[0].domains[0].objectives[0].children[0].children[0].name = "other";
        CHECK_FALSE(changed == original);
    }

    TEST_CASE("a start served from the cache has the same library, diagnostics and summaries as one without") {
        for (const auto& set : {std::pair{std::string("built-in decks"), builtin_files()},
                                std::pair{std::string("files with errors and warnings"), files_with_problems()}}) {
            const std::string& name = set.first;
            const std::vector<fs::path>& files = set.second;
            CAPTURE(name);
            for (const decks::LoadOptions& options : {decks::LoadOptions{}, decks::LoadOptions{{}, false}}) {
                TempDir cache;
                const decks::CacheSettings settings{cache.path / "certdrill", "test 1"};
                const auto direct = decks::load_files(files, options);
                const auto first = decks::load_files_cached(files, options, settings);
                CHECK(first.use == decks::CacheUse::Stored);
                const auto second = decks::load_files_cached(files, options, settings);
                CHECK(second.use == decks::CacheUse::Hit);
                CHECK(first.result == direct);
                CHECK(second.result == direct);
                CHECK_FALSE(direct.library.cards.empty());
                if (name == "files with errors and warnings") {
                    CHECK(direct.diagnostics.error_count() > 0);
                    CHECK(direct.diagnostics.warning_count() > 0);
                }
            }
        }
    }

    TEST_CASE("a load without the cards' texts has everything else, from the cache (never copying them) or not") {
        const auto original = every_field_set();
        auto expected = original;
        decks::leave_out_card_texts(expected.library);
        for (const auto& card : expected.library.cards) {
            CHECK(card.stem.empty());
            CHECK(card.explanation.empty());
            CHECK(card.front.empty());
            CHECK(card.back.empty());
            CHECK(card.references.empty());
            for (const auto& option : card.options) CHECK((option.text.empty() && option.reason.empty()));
        }
        // The fixture sets every text, so leaving them out changes it; nothing else is touched.
        CHECK_FALSE(expected == original);
        CHECK(expected.library.cards.size() == original.library.cards.size());
        CHECK(expected.library.cards[0].options.size() == original.library.cards[0].options.size());
        CHECK(expected.library.cards[0].id == original.library.cards[0].id);
        const std::string bytes = decks::encode_load_result(original);
        const auto decoded = decks::decode_load_result(bytes, decks::CardTexts::LeftOut);
        REQUIRE(decoded.has_value());
        CHECK(*decoded == expected);
        // Damage is refused as it is when the texts are kept.
        for (std::size_t cut = 0; cut < bytes.size(); ++cut)
            CHECK_FALSE(decks::decode_load_result(std::string_view(bytes).substr(0, cut), decks::CardTexts::LeftOut));

        // Through the cache: stored, then a hit, each without the texts, and a later load that
        // keeps them still gets them all.
        TempDir cache;
        const decks::CacheSettings settings{cache.path / "certdrill", "test 1"};
        const auto files = builtin_files();
        auto direct = decks::load_files(files);
        const auto full = direct;
        decks::leave_out_card_texts(direct.library);
        const auto stored = decks::load_files_cached(files, {}, settings, decks::CardTexts::LeftOut);
        CHECK(stored.use == decks::CacheUse::Stored);
        CHECK(stored.result == direct);
        const auto hit = decks::load_files_cached(files, {}, settings, decks::CardTexts::LeftOut);
        CHECK(hit.use == decks::CacheUse::Hit);
        CHECK(hit.result == direct);
        const auto kept = decks::load_files_cached(files, {}, settings);
        CHECK(kept.use == decks::CacheUse::Hit);
        CHECK(kept.result == full);
        CHECK_FALSE(full == direct);
    }

    TEST_CASE("an edited deck is read again, even when its size and modification time are unchanged") {
        TempDir dir;
        const auto files = copy_fixture(dir);
        const std::string deck = read_file(dir.path / "deck.json");
        const decks::CacheSettings settings{dir.path / "cache", "test 1"};
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);

        const auto modified = fs::last_write_time(dir.path / "deck.json");
        std::string edited = deck;
        const auto at = edited.find("\"stem\": \"") + 9;
        REQUIRE(at > 9);
        edited[at] = edited[at] == 'Q' ? 'Z' : 'Q';  // one letter of the first stem
        write_file(dir.path / "deck.json", edited);
        fs::last_write_time(dir.path / "deck.json", modified);

        const auto after = decks::load_files_cached(files, {}, settings);
        CHECK(after.use == decks::CacheUse::Stored);
        CHECK(after.result == decks::load_files(files));
        CHECK(after.result.library.cards.front().stem.front() == edited[at]);
        CHECK(entries(settings.dir).size() == 1);  // the same set of files keeps one entry
        CHECK(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Hit);
    }

    TEST_CASE("files that have settled are vouched for by their stats, recorded once they settle") {
        TempDir dir;
        const auto files = copy_fixture(dir);
        const auto direct = decks::load_files(files);
        decks::CacheSettings settings{dir.path / "cache", "test 1"};

        // Just written: the files could still change within their timestamps, so each start
        // hashes them.
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        auto hashed = decks::load_files_cached(files, {}, settings);
        CHECK(hashed.use == decks::CacheUse::Hit);
        CHECK(hashed.check == decks::CacheCheck::Content);
        CHECK(hashed.result == direct);

        // An hour on, they have settled: the next start still hashes them and records their stats,
        // and the starts after it read no file.
        settings.now = an_hour_on(settings.dir).now;
        hashed = decks::load_files_cached(files, {}, settings);
        CHECK(hashed.check == decks::CacheCheck::Content);
        for (int start = 0; start < 2; ++start) {
            const auto by_stats = decks::load_files_cached(files, {}, settings);
            CHECK(by_stats.use == decks::CacheUse::Hit);
            CHECK(by_stats.check == decks::CacheCheck::Stats);
            CHECK(by_stats.result == direct);
        }
        // Without the cards' texts as well, from the same stats.
        const auto textless = decks::load_files_cached(files, {}, settings, decks::CardTexts::LeftOut);
        CHECK(textless.check == decks::CacheCheck::Stats);
        CHECK(textless.result.library.cards.size() == direct.library.cards.size());

        // Files that had settled when their entry was first written are vouched for at once.
        TempDir other_cache;
        settings.dir = other_cache.path;
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        CHECK(decks::load_files_cached(files, {}, settings).check == decks::CacheCheck::Stats);
    }

    TEST_CASE("an edit after the stats were recorded is caught, whatever is restored of them") {
        TempDir dir;
        const auto files = copy_fixture(dir);
        const std::string deck = read_file(dir.path / "deck.json");
        const auto settings = an_hour_on(dir.path / "cache");
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        REQUIRE(decks::load_files_cached(files, {}, settings).check == decks::CacheCheck::Stats);

        const auto status_changed = [&] {
            struct stat st {};
            REQUIRE(::stat((dir.path / "deck.json").c_str(), &st) == 0);
            return std::pair{st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
        };
        const auto recorded = status_changed();
        const auto modified = fs::last_write_time(dir.path / "deck.json");
        std::string edited = deck;
        const auto at = edited.find("\"stem\": \"") + 9;
        REQUIRE(at > 9);
        edited[at] = edited[at] == 'Q' ? 'Z' : 'Q';  // one letter of the first stem: the same size
        SUBCASE("edited in place") {
            // Timestamps move in ticks: wait for one, so the edit's change time differs, as any
            // edit made later than the recording does.
            while (status_changed() == recorded) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                write_file(dir.path / "deck.json", edited);
            }
        }
        SUBCASE("replaced by another file") {
            write_file(dir.path / "new.json", edited);
            fs::rename(dir.path / "new.json", dir.path / "deck.json");
        }
        fs::last_write_time(dir.path / "deck.json", modified);

        const auto after = decks::load_files_cached(files, {}, settings);
        CHECK(after.use == decks::CacheUse::Stored);
        CHECK(after.result == decks::load_files(files));
        CHECK(after.result.library.cards.front().stem.front() == edited[at]);
    }

    TEST_CASE("a link moved to another name of the same file is caught, though no file changed") {
        TempDir dir;
        auto files = copy_fixture(dir);
        files.push_back(dir.path / "link.json");
        fs::create_hard_link(dir.path / "deck.json", dir.path / "copy.json");
        fs::create_symlink("deck.json", dir.path / "link.json");
        // The loader reads deck.json and link.json once, as one file; copy.json is the same
        // inode under another name, so once link.json points there the deck is read twice.
        const auto settings = an_hour_on(dir.path / "cache");
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        REQUIRE(decks::load_files_cached(files, {}, settings).check == decks::CacheCheck::Stats);

        fs::remove(dir.path / "link.json");
        fs::create_symlink("copy.json", dir.path / "link.json");
        const auto direct = decks::load_files(files);
        REQUIRE(direct.summaries.size() == 3);  // the deck read a second time, under its other name
        const auto after = decks::load_files_cached(files, {}, settings);
        CHECK(after.use == decks::CacheUse::Stored);
        CHECK(after.result == direct);
    }

    TEST_CASE("a damaged stats block is a miss, and the entry is written anew") {
        TempDir dir;
        const auto files = files_with_problems();
        const auto settings = an_hour_on(dir.path);
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        const fs::path entry = only_entry(dir.path);
        std::string bytes = read_file(entry);
        constexpr std::size_t kHeaderBytes = 36;  // magic, version, body size, checksum
        for (std::size_t offset : {kHeaderBytes, kHeaderBytes + 4, kHeaderBytes + 5 + 17}) {
            CAPTURE(offset);
            std::string damaged = bytes;
            damaged[offset] = static_cast<char>(damaged[offset] ^ 0x20);
            write_file(entry, damaged);
            const auto loaded = decks::load_files_cached(files, {}, settings);
            CHECK(loaded.use == decks::CacheUse::Stored);
            CHECK(loaded.result == decks::load_files(files));
            CHECK(decks::load_files_cached(files, {}, settings).check == decks::CacheCheck::Stats);
            bytes = read_file(entry);
        }
    }

    TEST_CASE("another program build, other options or other files never read an entry") {
        TempDir cache;
        const auto files = files_with_problems();
        const decks::CacheSettings settings{cache.path, "test 1"};
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        CHECK(decks::load_files_cached(files, {}, {cache.path, "test 2"}).use == decks::CacheUse::Stored);
        CHECK(decks::load_files_cached(files, {{}, false}, settings).use == decks::CacheUse::Stored);
        // A load that leaves the cards' texts out has an entry of its own, never served to a
        // load that shows them.
        decks::LoadOptions textless;
        textless.keep_card_texts = false;
        CHECK(decks::load_files_cached(files, textless, settings).use == decks::CacheUse::Stored);
        const auto with_texts = decks::load_files_cached(files, {}, settings);
        CHECK(with_texts.use == decks::CacheUse::Hit);
        CHECK(with_texts.result == decks::load_files(files));
        decks::LoadOptions lint;
        lint.lint = true;
        const auto linted = decks::load_files_cached(files, lint, settings);
        CHECK(linted.use == decks::CacheUse::Stored);
        CHECK(linted.result == decks::load_files(files, lint));
        const std::vector<fs::path> fewer(files.begin(), files.end() - 1);
        CHECK(decks::load_files_cached(fewer, {}, settings).result == decks::load_files(fewer));
        std::vector<fs::path> reordered = files;
        std::swap(reordered[0], reordered[1]);
        const auto swapped = decks::load_files_cached(reordered, {}, settings);
        CHECK(swapped.use == decks::CacheUse::Stored);
        CHECK(swapped.result == decks::load_files(reordered));
        // Six sets of files or options were written: the oldest were removed.
        CHECK(entries(cache.path).size() == decks::kCacheEntriesKept);
    }

    TEST_CASE("a damaged entry is a miss and is replaced: truncated, bit-flipped or emptied") {
        TempDir cache;
        const auto files = files_with_problems();
        const auto direct = decks::load_files(files);
        const decks::CacheSettings settings{cache.path, "test 1"};
        REQUIRE(decks::load_files_cached(files, {}, settings).use == decks::CacheUse::Stored);
        const fs::path entry = only_entry(cache.path);
        const std::string good = read_file(entry);
        REQUIRE(good.size() > 100);

        std::vector<std::string> damaged = {"", good.substr(0, 8), good + "x"};
        for (std::size_t cut :
             {std::size_t{1}, std::size_t{20}, std::size_t{36}, std::size_t{37}, good.size() / 2, good.size() - 1})
            damaged.push_back(good.substr(0, cut));
        std::mt19937 random(7);
        for (int i = 0; i < 24; ++i) {
            std::string flipped = good;
            const std::size_t at = i < 8 ? static_cast<std::size_t>(i) * 5 : random() % good.size();
            flipped[at] = static_cast<char>(flipped[at] ^ (1 << (random() % 8)));
            damaged.push_back(flipped);
        }
        for (std::size_t i = 0; i < damaged.size(); ++i) {
            CAPTURE(i);
            write_file(entry, damaged[i]);
            const auto loaded = decks::load_files_cached(files, {}, settings);
            CHECK(loaded.use == decks::CacheUse::Stored);
            CHECK(loaded.result == direct);
            CHECK(read_file(entry) == good);
        }
    }

    TEST_CASE("decoding any bytes fails cleanly or yields a result, never reads past them") {
        const std::string good = decks::encode_load_result(decks::load_files(files_with_problems()));
        for (std::size_t cut = 0; cut < good.size(); cut += std::max<std::size_t>(1, good.size() / 997))
            CHECK_FALSE(decks::decode_load_result(std::string_view(good).substr(0, cut)).has_value());
        std::mt19937 random(11);
        for (int i = 0; i < 300; ++i) {
            std::string flipped = good;
            for (int k = 0; k < 1 + i % 4; ++k)
                flipped[random() % flipped.size()] ^= static_cast<char>(1 << (random() % 8));
            (void)decks::decode_load_result(flipped);  // any outcome but a crash or an out-of-bounds read
        }
        std::string noise(4096, '\0');
        for (auto& ch : noise) ch = static_cast<char>(random());
        CHECK_FALSE(decks::decode_load_result(noise).has_value());
        // A count larger than the rest of the buffer could hold is refused before anything is reserved.
        CHECK_FALSE(decks::decode_load_result(std::string("\xff\xff\xff\x7f", 4)).has_value());
    }

    TEST_CASE("a cache that cannot be written is skipped: the decks still load") {
        TempDir dir;
        const auto files = files_with_problems();
        write_file(dir.path / "not-a-dir", "x");
        const auto loaded = decks::load_files_cached(files, {}, {dir.path / "not-a-dir" / "certdrill", "test 1"});
        CHECK(loaded.use == decks::CacheUse::Missed);
        CHECK(loaded.result == decks::load_files(files));
    }

    TEST_CASE("no directory, or a file that cannot be read, turns the cache off") {
        TempDir dir;
        auto files = files_with_problems();
        CHECK(decks::load_files_cached(files, {}, {}).use == decks::CacheUse::Off);
        files.push_back(dir.path / "missing.json");
        const auto loaded = decks::load_files_cached(files, {}, {dir.path / "cache", "test 1"});
        CHECK(loaded.use == decks::CacheUse::Off);
        CHECK(loaded.result == decks::load_files(files));
        CHECK_FALSE(fs::exists(dir.path / "cache"));
    }

    TEST_CASE("pruning removes only this cache's own entries and abandoned temporary files") {
        TempDir cache;
        const auto files = files_with_problems();
        // Files that are not the cache's: other names, an entry's name without its magic, a
        // fresh temporary file (a writer may still be busy with it).
        const std::vector<std::string> foreign = {"notes.txt", "library-0123456789abcdef.bin.bak",
                                                  "library-0123456789abcdef.bin", "library-xyz.bin",
                                                  "library-0123456789abcdef.bin.tmp-abcdef"};
        for (const auto& name : foreign) write_file(cache.path / name, "not a cache entry");
        write_file(cache.path / "library-fedcba9876543210.bin.tmp-zzzzzz", "left by a writer that died");
        fs::last_write_time(cache.path / "library-fedcba9876543210.bin.tmp-zzzzzz",
                            fs::file_time_type::clock::now() - std::chrono::hours(2));
        for (std::size_t n = 1; n <= files.size(); ++n) {
            const std::vector<fs::path> some(files.begin(), files.begin() + static_cast<std::ptrdiff_t>(n));
            CHECK(decks::load_files_cached(some, {}, {cache.path, "test 1"}).use == decks::CacheUse::Stored);
        }
        for (const auto& name : foreign) CHECK(read_file(cache.path / name) == "not a cache entry");
        CHECK_FALSE(fs::exists(cache.path / "library-fedcba9876543210.bin.tmp-zzzzzz"));
        CHECK(entries(cache.path).size() == foreign.size() + decks::kCacheEntriesKept);
    }
}

TEST_SUITE("resolved paths") {
    TEST_CASE("each name resolves as weakly_canonical resolves it, through links to files and to directories") {
        TempDir dir;
        fs::create_directories(dir.path / "real" / "sub");
        dir.write("real/deck.json", "{}");
        dir.write("real/sub/other.json", "{}");
        fs::create_directory_symlink(dir.path / "real", dir.path / "linked-dir");
        fs::create_symlink(dir.path / "real" / "deck.json", dir.path / "real" / "sub" / "link.json");
        const std::vector<fs::path> names = {
            dir.path / "real" / "deck.json",
            dir.path / "linked-dir" / "deck.json",
            dir.path / "real" / "sub" / ".." / "deck.json",
            dir.path / "linked-dir" / "sub" / "other.json",
            dir.path / "real" / "sub" / "link.json",  // a link to a file: resolved in full
            dir.path / "linked-dir" / "sub" / "link.json",
            dir.path / "real" / "missing.json",
            dir.path / "no-such-dir" / "missing.json",
            dir.path / "real" / "sub" / "..",
            dir.path / "real" / ".",
            fs::path("relative-name.json"),
        };
        decks::ResolvedPaths resolve;  // one for all the names, as the loader and the cache use it
        for (const auto& name : names) {
            CAPTURE(name);
            std::error_code ec;
            const fs::path expected = fs::weakly_canonical(name, ec);
            REQUIRE_FALSE(ec);
            CHECK(resolve(name) == expected.string());
        }
        CHECK(resolve(dir.path / "linked-dir" / "deck.json") == resolve(dir.path / "real" / "sub" / "link.json"));
    }

    TEST_CASE("a deck given by two names is read once") {
        TempDir dir;
        fs::create_directory(dir.path / "decks");
        fs::copy_file(kData / "fixture-decks" / "testexam.json", dir.path / "decks" / "testexam.json");
        fs::create_directory_symlink(dir.path / "decks", dir.path / "same-decks");
        const auto once = decks::load_files({kData / "fixture-exam" / "exam.json", dir.path / "decks" / "testexam.json"});
        const auto twice = decks::load_files({kData / "fixture-exam" / "exam.json", dir.path / "decks" / "testexam.json",
                                              dir.path / "same-decks" / "testexam.json"});
        CHECK(twice.diagnostics.items.empty());  // no card id "used twice"
        CHECK(twice.library == once.library);
        CHECK(twice.summaries.size() == 2);
    }
}

}  // namespace test_library_cache
