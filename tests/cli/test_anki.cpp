#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "app/anki_convert.hpp"
#include "cli/import_commands.hpp"
#include "core/sha1.hpp"
#include "core/text.hpp"
#include "decks/loader.hpp"
#include "store/anki_package.hpp"

namespace test_anki {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;
const fs::path kFixtureExam = kData / "fixture-exam";
const UnixMs kNow = 1'764'806'400'000;

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

struct Run {
    int status = 0;
    std::string out, err;
};

Run export_fixture(const fs::path& apkg) {
    cli::ExportApkgOptions o{"testexam", {}, apkg.string()};
    std::ostringstream out, err;
    int status = cli::export_apkg_command(o, {kFixtureExam, kData / "fixture-decks"}, kNow, out, err);
    return {status, out.str(), err.str()};
}

Run import_package(const fs::path& apkg, const fs::path& out_dir, const std::string& deck = "from-anki") {
    cli::ImportOptions o;
    o.file = apkg.string();
    o.exam_id = "testexam";
    o.deck_id = deck;
    o.out_dir = out_dir;
    std::ostringstream out, err;
    int status = cli::import_apkg_command(o, {kFixtureExam, kData / "fixture-decks"}, out, err);
    return {status, out.str(), err.str()};
}

std::vector<Card> fixture_flashcards() {
    decks::Diagnostics d;
    auto lib = decks::load_files(decks::collect_deck_files({kFixtureExam, kData / "fixture-decks"}, d)).library;
    std::vector<Card> out;
    for (const auto& c : lib.cards)
        if (!c.is_question()) out.push_back(c);
    return out;
}

}  // namespace

TEST_SUITE("anki") {
    TEST_CASE("SHA-1 matches the FIPS 180 test vectors") {
        CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
        CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        CHECK(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    TEST_CASE("Anki HTML becomes plain text: line breaks kept, tags, sounds and bidi overrides removed") {
        CHECK(app::text_from_anki_html("A&amp;B<br>second<div>third</div>[sound:x.mp3]&#233;&nbsp;!") ==
              "A&B\nsecond\nthird\n\xC3\xA9 !");
        CHECK(app::text_from_anki_html("<b>pay</b> \xE2\x80\xAEnow\x1b[2J") == "pay now");
        CHECK(app::anki_html_from_text("a < b & *c*\nd") == "a &lt; b &amp; c<br>d");
    }

    TEST_CASE("export then import keeps every flashcard's front and back, the package is Anki's format") {
        TempDir dir;
        const fs::path apkg = dir.path / "deck.apkg";
        auto exported = export_fixture(apkg);
        INFO(exported.err);
        REQUIRE(exported.status == 0);
        const auto originals = fixture_flashcards();
        REQUIRE_FALSE(originals.empty());
        CHECK(contains(exported.out, std::to_string(originals.size()) + " flashcards as Basic notes"));

        // The structure Anki reads: one note and one new card per flashcard in schema 11.
        const auto notes = store::read_anki_package(apkg);
        REQUIRE(notes.size() == originals.size());
        for (std::size_t i = 0; i < notes.size(); ++i) {
            CHECK(notes[i].note_type == "certdrill Basic");
            CHECK_FALSE(notes[i].cloze);
            CHECK(notes[i].templates == 1);
            CHECK(notes[i].cards == 1);
            CHECK(notes[i].field_names == std::vector<std::string>{"Front", "Back"});
            CHECK(notes[i].guid == "certdrill:" + originals[i].id);
        }

        auto imported = import_package(apkg, dir.path / "out");
        INFO(imported.err);
        REQUIRE(imported.status == 0);
        auto back = decks::load_files({dir.path / "out" / "from-anki.json"}, {{kFixtureExam / "exam.json"}});
        CHECK(back.diagnostics.error_count() == 0);
        REQUIRE(back.library.cards.size() == originals.size());
        for (std::size_t i = 0; i < originals.size(); ++i) {
            CHECK(back.library.cards[i].front == text::strip_marks(originals[i].front));
            CHECK(back.library.cards[i].back == text::strip_marks(originals[i].back));
            CHECK(back.library.cards[i].domain_id == originals[i].domain_id);  // from the domain tag
        }
        // The exported file is never overwritten by a second export.
        auto again = export_fixture(apkg);
        CHECK(again.status == 2);
        CHECK(contains(again.err, "already exists"));
    }

    TEST_CASE("the exported package opens in Python's zipfile and sqlite3 with the notes and cards Anki expects") {
        if (std::system("python3 -c 'import zipfile, sqlite3' >/dev/null 2>&1") != 0) {
            MESSAGE("python3 with zipfile and sqlite3 is not available: skipping the cross-check");
            return;
        }
        TempDir dir;
        const fs::path apkg = dir.path / "deck.apkg";
        REQUIRE(export_fixture(apkg).status == 0);
        const std::string n = std::to_string(fixture_flashcards().size());
        const auto script = dir.write("check.py", R"(
import json, sqlite3, sys, tempfile, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
assert set(z.namelist()) == {"collection.anki2", "media"}, z.namelist()
assert json.loads(z.read("media")) == {}
d = tempfile.mkdtemp()
db = sqlite3.connect(z.extract("collection.anki2", d))
ver, models, decks = db.execute("select ver, models, decks from col").fetchone()
assert ver == 11
model = list(json.loads(models).values())[0]
assert [f["name"] for f in model["flds"]] == ["Front", "Back"] and model["type"] == 0
notes = db.execute("select count(*) from notes").fetchone()[0]
cards = db.execute("select count(*) from cards c join notes n on c.nid = n.id where c.ord = 0 and c.queue = 0").fetchone()[0]
assert str(notes) == sys.argv[2] and str(cards) == sys.argv[2], (notes, cards)
assert all(str(did) in json.loads(decks) for (did,) in db.execute("select did from cards"))
assert all(f.count("\x1f") == 1 for (f,) in db.execute("select flds from notes"))
print("ok")
)");
        const std::string command = "python3 " + script.string() + " " + apkg.string() + " " + n + " > " +
                                    (dir.path / "py.out").string() + " 2>&1";
        const int status = std::system(command.c_str());
        std::ifstream in(dir.path / "py.out");
        const std::string output((std::istreambuf_iterator<char>(in)), {});
        INFO(output);
        CHECK(status == 0);
        CHECK(output == "ok\n");
    }

    TEST_CASE("cloze and other note types are reported and skipped, reversed notes give two cards") {
        TempDir dir;
        const fs::path apkg = dir.path / "mixed.apkg";
        // Build a package, then change its note types in the collection to cloze and reversed.
        store::write_anki_package(apkg, "mixed",
                                  {{"g1", "Front one", "Back one", {"d2"}},
                                   {"g2", "Front two", "Back two", {}},
                                   {"g3", "{{c1::Cloze}} text", "", {}}},
                                  kNow);
        std::vector<store::AnkiNote> notes = store::read_anki_package(apkg);
        REQUIRE(notes.size() == 3);
        notes[1].templates = 2;  // Basic (and reversed card)
        notes[2].cloze = true;
        notes[2].note_type = "Cloze";
        decks::Diagnostics d;
        const auto lib = decks::load_files(decks::collect_deck_files({kFixtureExam}, d)).library;
        const auto imported = app::cards_from_anki(notes, *lib.exam("testexam"), "mixed", "d1");
        REQUIRE(imported.cards.size() == 3);
        CHECK(imported.cards[0].domain_id == "d2");
        CHECK(imported.cards[1].front == "Front two");
        CHECK(imported.cards[2].front == "Back two");
        CHECK(imported.cards[2].id == imported.cards[1].id + ".r");
        CHECK(imported.skipped.at("cloze note type 'Cloze'") == 1);
        CHECK(imported.default_domain_cards == 2);
    }

    TEST_CASE("files that are not Anki packages are refused and left untouched") {
        TempDir dir;
        auto text = dir.write("notes.apkg", "just text");
        auto r = import_package(text, dir.path / "out");
        CHECK(r.status == 3);
        CHECK(contains(r.err, "is not an Anki package"));
        std::ifstream in(text);
        CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "just text");
        CHECK(contains(import_package(dir.path / "missing.apkg", dir.path / "out").err, "no such file"));
        CHECK_FALSE(fs::exists(dir.path / "out" / "from-anki.json"));
        // A zip without a collection.
        auto zipped = dir.path / "other.apkg";
        const std::string make_zip = "cd " + dir.path.string() +
                                     " && python3 -c \"import zipfile; "
                                     "zipfile.ZipFile('other.apkg','w').writestr('readme.txt','hi')\" 2>/dev/null";
        if (std::system(make_zip.c_str()) == 0 && fs::exists(zipped)) CHECK(contains(import_package(zipped, dir.path / "out").err, "holds no Anki collection"));
    }

    TEST_CASE("a package with no Basic notes to import is a data error and writes nothing") {
        TempDir dir;
        const fs::path apkg = dir.path / "empty.apkg";
        store::write_anki_package(apkg, "empty", {}, kNow);
        auto r = import_package(apkg, dir.path / "out");
        CHECK(r.status == 3);
        CHECK(contains(r.err, "the package has no Basic or Basic-and-reversed notes"));
        CHECK_FALSE(fs::exists(dir.path / "out" / "from-anki.json"));
    }
}

}  // namespace test_anki
