// Writing Anki packages: a collection of Basic notes in Anki's schema 11, zipped.
#include "store/anki_package.hpp"

#include <minizip/zip.h>
#include <time.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/sha1.hpp"
#include "store/anki_package_parts.hpp"
#include "store/sqlite.hpp"

namespace certdrill::store {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using detail::quoted;
using detail::TempDirectory;
using detail::zip_error_text;
using detail::ZipFiles;

namespace {

// Anki's schema 11, the format every Anki version imports.
constexpr std::string_view kAnkiSchema = R"sql(
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
  left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
  type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
)sql";

// The note type's id stays the same in every export, so Anki recognises it on a second import.
constexpr std::int64_t kModelId = 1764806400000;

std::int64_t deck_id_for(const std::string& name) {
    const auto digest = sha1(name);
    std::int64_t v = 0;
    for (int i = 0; i < 5; ++i) v = (v << 8) | digest[static_cast<std::size_t>(i)];
    return 1'000'000'000'000 + v % 1'000'000'000'000;  // positive, and never the Default deck (1)
}

Json basic_model(std::int64_t deck_id, std::int64_t now_s) {
    auto field = [](const char* name, int ord) {
        return Json{{"name", name}, {"ord", ord}, {"sticky", false}, {"rtl", false},
                    {"font", "Arial"}, {"size", 20},  {"media", Json::array()}};
    };
    Json tmpl{{"name", "Card 1"},
              {"ord", 0},
              {"qfmt", "{{Front}}"},
              {"afmt", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"},
              {"bqfmt", ""},
              {"bafmt", ""},
              {"did", nullptr}};
    return Json{{"id", kModelId},
                {"name", "certdrill Basic"},
                {"type", 0},
                {"mod", now_s},
                {"usn", -1},
                {"sortf", 0},
                {"did", deck_id},
                {"tmpls", Json::array({tmpl})},
                {"flds", Json::array({field("Front", 0), field("Back", 1)})},
                {"css", ".card { font-family: arial; font-size: 20px; text-align: center; color: black; "
                        "background-color: white; }"},
                {"latexPre", "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{"
                             "inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{"
                             "\\parindent}{0in}\n\\begin{document}\n"},
                {"latexPost", "\\end{document}"},
                {"req", Json::array({Json::array({0, "any", Json::array({0})})})},
                {"tags", Json::array()},
                {"vers", Json::array()}};
}

Json deck_json(std::int64_t id, const std::string& name, std::int64_t now_s) {
    return Json{{"id", id},
                {"name", name},
                {"desc", ""},
                {"mod", now_s},
                {"usn", -1},
                {"collapsed", false},
                {"browserCollapsed", false},
                {"dyn", 0},
                {"conf", 1},
                {"extendNew", 10},
                {"extendRev", 50},
                {"newToday", {0, 0}},
                {"revToday", {0, 0}},
                {"lrnToday", {0, 0}},
                {"timeToday", {0, 0}}};
}

Json default_options() {
    return Json{{"1",
                 {{"id", 1},
                  {"name", "Default"},
                  {"mod", 0},
                  {"usn", 0},
                  {"maxTaken", 60},
                  {"autoplay", true},
                  {"timer", 0},
                  {"replayq", true},
                  {"dyn", false},
                  {"new",
                   {{"bury", true},
                    {"delays", {1, 10}},
                    {"initialFactor", 2500},
                    {"ints", {1, 4, 7}},
                    {"order", 1},
                    {"perDay", 20},
                    {"separate", true}}},
                  {"lapse", {{"delays", {10}}, {"leechAction", 1}, {"leechFails", 8}, {"minInt", 1}, {"mult", 0}}},
                  {"rev",
                   {{"bury", true},
                    {"ease4", 1.3},
                    {"fuzz", 0.05},
                    {"ivlFct", 1},
                    {"maxIvl", 36500},
                    {"minSpace", 1},
                    {"perDay", 200}}}}}};
}

std::string tags_field(const std::vector<std::string>& tags) {
    if (tags.empty()) return "";
    std::string out = " ";
    for (const auto& t : tags) out += t + " ";
    return out;
}

// Anki's duplicate check: the first 8 hex digits of the SHA-1 of the sort field, as a number.
std::int64_t field_checksum(const std::string& sort_field) {
    return static_cast<std::int64_t>(std::stoull(sha1_hex(sort_field).substr(0, 8), nullptr, 16));
}

std::string plain_sort_field(const std::string& html) {
    std::string out;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<') in_tag = true;
        if (!in_tag) out += c;
        if (c == '>') in_tag = false;
    }
    return out;
}

void fill_collection(Database& db, const std::string& deck_name, const std::vector<AnkiExportNote>& notes, UnixMs now) {
    const std::int64_t now_s = now / 1000, deck_id = deck_id_for(deck_name);
    db.run_script(kAnkiSchema);
    Json conf{{"activeDecks", {1}},  {"curDeck", 1},      {"curModel", std::to_string(kModelId)},
              {"nextPos", notes.size() + 1}, {"sortType", "noteFld"}, {"sortBackwards", false},
              {"addToCur", true},    {"newSpread", 0},    {"collapseTime", 1200},
              {"timeLim", 0},        {"estTimes", true},  {"dueCounts", true}};
    Json models{{std::to_string(kModelId), basic_model(deck_id, now_s)}};
    Json decks{{"1", deck_json(1, "Default", now_s)}, {std::to_string(deck_id), deck_json(deck_id, deck_name, now_s)}};
    Transaction transaction(db);
    db.prepare(
          "INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags) "
          "VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')")
        .bind_all(now_s - now_s % 86400, now, conf.dump(), models.dump(), decks.dump(), default_options().dump())
        .run();
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const auto& n = notes[i];
        const std::int64_t id = now + static_cast<std::int64_t>(i);
        const std::string sort = plain_sort_field(n.front_html);
        db.prepare(
              "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) "
              "VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")
            .bind_all(id, n.guid, kModelId, now_s, tags_field(n.tags), n.front_html + '\x1f' + n.back_html, sort,
                      field_checksum(sort))
            .run();
        db.prepare(
              "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, "
              "odue, odid, flags, data) VALUES (?1, ?1, ?2, 0, ?3, -1, 0, 0, ?4, 0, 0, 0, 0, 0, 0, 0, 0, '')")
            .bind_all(id, deck_id, now_s, static_cast<std::int64_t>(i + 1))
            .run();
    }
    transaction.commit();
}

// A new zip file, removed again unless finish() succeeds.
class ZipWriter {
public:
    ZipWriter(const fs::path& file, UnixMs now) : file_(file) {
        zip_ = zipOpen2_64(file.c_str(), APPEND_STATUS_CREATE, nullptr, files_.functions());
        if (!zip_ && files_.open_errno() == EEXIST)
            throw AnkiPackageExists(quoted(file) + " already exists; certdrill does not overwrite files");
        if (!zip_)
            throw AnkiPackageError("cannot create " + quoted(file) + ": " +
                                   std::generic_category().message(files_.open_errno() ? files_.open_errno() : EIO));
        // Entries are dated `now`, in local time as zip dates are.
        const time_t seconds = static_cast<time_t>(now / 1000);
        struct tm local {};
        localtime_r(&seconds, &local);
        info_.tmz_date = {static_cast<uInt>(local.tm_sec), static_cast<uInt>(local.tm_min),
                          static_cast<uInt>(local.tm_hour), static_cast<uInt>(local.tm_mday),
                          static_cast<uInt>(local.tm_mon), static_cast<uInt>(local.tm_year + 1900)};
        info_.external_fa = 0100644u << 16;  // a regular file, rw-r--r--, for unzip on Unix
    }
    ~ZipWriter() {
        if (!zip_) return;
        zipClose(zip_, nullptr);
        std::error_code ec;
        fs::remove(file_, ec);
    }
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    void add_file(const char* name, const fs::path& source) {
        std::ifstream in(source, std::ios::binary);
        std::error_code ec;
        const auto size = fs::file_size(source, ec);
        if (!in || ec) throw AnkiPackageError("cannot write " + quoted(file_) + ": cannot read " + source.string());
        open_entry(name, size >= 0xffffffffu);
        char buf[1 << 16];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) write(buf, static_cast<unsigned>(in.gcount()));
        if (in.bad()) throw AnkiPackageError("cannot write " + quoted(file_) + ": cannot read " + source.string());
        close_entry();
    }

    void add_bytes(const char* name, std::string_view bytes) {
        open_entry(name, false);
        write(bytes.data(), static_cast<unsigned>(bytes.size()));
        close_entry();
    }

    // Writes the central directory and closes the file; the package is complete.
    void finish() {
        errno = 0;
        const int rc = zipClose(zip_, nullptr);
        zip_ = nullptr;
        if (rc != ZIP_OK) {
            const std::string why = zip_error_text(rc, errno);
            std::error_code ec;
            fs::remove(file_, ec);
            throw failed(why);
        }
    }

private:
    // Deflated, the name flagged as UTF-8 (general purpose bit 11); the zip64 extra field only
    // for an entry that needs it, so every reader takes the others.
    void open_entry(const char* name, bool zip64) {
        constexpr uLong kUtf8Names = 1u << 11, kMadeOnUnix = (3u << 8) | 20u;
        errno = 0;
        check(zipOpenNewFileInZip4_64(zip_, name, &info_, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                      Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY,
                                      nullptr, 0, kMadeOnUnix, kUtf8Names, zip64 ? 1 : 0));
    }
    void write(const char* data, unsigned size) {
        errno = 0;
        check(zipWriteInFileInZip(zip_, data, size));
    }
    void close_entry() {
        errno = 0;
        check(zipCloseFileInZip(zip_));
    }
    void check(int rc) const {
        if (rc != ZIP_OK) throw failed(zip_error_text(rc, errno));
    }
    AnkiPackageError failed(const std::string& why) const {
        return AnkiPackageError("cannot write " + quoted(file_) + ": " + why);
    }

    fs::path file_;
    ZipFiles files_;
    zip_fileinfo info_{};
    zipFile zip_ = nullptr;
};

void zip_package(const fs::path& apkg, const fs::path& collection, UnixMs now) {
    ZipWriter zip(apkg, now);
    zip.add_file("collection.anki2", collection);
    zip.add_bytes("media", "{}");  // no media files
    zip.finish();
}

}  // namespace

void write_anki_package(const fs::path& apkg, const std::string& deck_name, const std::vector<AnkiExportNote>& notes,
                        UnixMs now) {
    std::error_code ec;
    if (fs::exists(apkg, ec))
        throw AnkiPackageExists(quoted(apkg) + " already exists; certdrill does not overwrite files");
    TempDirectory temp;
    const fs::path collection = temp.path() / "collection.anki2";
    try {
        Database db(collection, Database::Mode::ReadWriteCreate);
        fill_collection(db, deck_name, notes, now);
    } catch (const SqliteError& e) {
        throw AnkiPackageError("cannot build the Anki collection: " + e.sqlite_message());
    }
    zip_package(apkg, collection, now);
}

}  // namespace certdrill::store
