#include "store/anki_package.hpp"

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdlib.h>
#include <time.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <map>
#include <nlohmann/json.hpp>

#include "core/sha1.hpp"
#include "store/sqlite.hpp"

namespace certdrill::store {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// A collection larger than this is refused rather than unpacked: protects against zip bombs.
constexpr std::uint64_t kMaxCollectionBytes = 1024ull * 1024 * 1024;

// A private temporary directory, removed with its contents.
class TempDirectory {
public:
    TempDirectory() {
        std::string pattern = (fs::temp_directory_path() / "certdrill-apkg-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw AnkiPackageError("cannot create a temporary directory");
        path_ = pattern;
    }
    ~TempDirectory() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// minizip reports a failure as a code (its own, or zlib's); errno tells an I/O failure's cause.
std::string zip_error_text(int code, int io_errno) {
    switch (code) {
        case UNZ_CRCERROR: return "CRC error (the data does not match its checksum)";
        case Z_DATA_ERROR: return "the compressed data is invalid";
        case Z_BUF_ERROR: return "the compressed data ends early";
        case Z_MEM_ERROR: return "out of memory";
        case UNZ_BADZIPFILE: return "a zip header is invalid";
        case UNZ_ERRNO:
            return io_errno != 0 ? std::generic_category().message(io_errno) : "the file ends early";
        default: return "zip error " + std::to_string(code);
    }
}

// minizip's file functions with their open replaced: minizip tells only that an open failed,
// this keeps errno for the message, and creates a new package exclusively (as open's O_EXCL),
// never through an existing file or symbolic link. The handle given these must not outlive them.
class ZipFiles {
public:
    ZipFiles() {
        fill_fopen64_filefunc(&functions_);
        functions_.zopen64_file = &open;
        functions_.opaque = this;
    }
    ZipFiles(const ZipFiles&) = delete;
    ZipFiles& operator=(const ZipFiles&) = delete;
    zlib_filefunc64_def* functions() { return &functions_; }
    int open_errno() const { return open_errno_; }

private:
    static voidpf ZCALLBACK open(voidpf opaque, const void* filename, int mode) {
        auto* self = static_cast<ZipFiles*>(opaque);
        const bool create = (mode & ZLIB_FILEFUNC_MODE_CREATE) != 0;
        FILE* file = nullptr;
        if (create || (mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) == ZLIB_FILEFUNC_MODE_READ)
            file = std::fopen(static_cast<const char*>(filename), create ? "wbx" : "rb");
        else
            errno = EINVAL;  // appending to a zip: never done here
        if (!file) self->open_errno_ = errno;
        return file;
    }

    zlib_filefunc64_def functions_{};
    int open_errno_ = 0;
};

class ZipReader {
public:
    explicit ZipReader(const fs::path& file) : file_(file) {
        zip_ = unzOpen2_64(file.c_str(), files_.functions());
        if (!zip_ && files_.open_errno() != 0)
            throw AnkiPackageError("cannot read " + quoted(file) + ": " +
                                   std::generic_category().message(files_.open_errno()));
        if (!zip_)
            throw AnkiPackageError(quoted(file) +
                                   " is not an Anki package: not a zip archive, or a truncated one; export it from "
                                   "Anki with File > Export, as 'Anki Deck Package (*.apkg)'");
    }
    ~ZipReader() { unzClose(zip_); }  // also closes an entry left open
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    // Whether an entry is named exactly `name` (no case folding, no truncation); if so, it becomes
    // the current entry.
    // A list of entries that cannot be walked to its end is damage, not a missing entry.
    bool has(const char* name) {
        const std::size_t length = std::strlen(name);
        unz_global_info64 global;
        if (unzGetGlobalInfo64(zip_, &global) != UNZ_OK) throw damaged("its list of entries cannot be read");
        if (global.number_entry == 0) return false;
        int rc = unzGoToFirstFile(zip_);
        while (rc == UNZ_OK) {
            char found[256];
            unz_file_info64 info;
            rc = unzGetCurrentFileInfo64(zip_, &info, found, sizeof found, nullptr, 0, nullptr, 0);
            if (rc != UNZ_OK) break;
            if (info.size_filename == length && std::memcmp(found, name, length) == 0) return true;
            rc = unzGoToNextFile(zip_);
        }
        if (rc != UNZ_END_OF_LIST_OF_FILE) throw damaged("its list of entries cannot be read");
        return false;
    }

    void extract(const char* name, const fs::path& to) {
        unz_file_info64 info;
        if (!has(name) || unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
            throw AnkiPackageError(quoted(file_) + ": cannot read " + name);
        if (info.uncompressed_size > kMaxCollectionBytes) throw too_large();
        if (info.flag & 1u) throw AnkiPackageError(quoted(file_) + ": " + name + " is encrypted; certdrill cannot read it");
        if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
            throw AnkiPackageError(quoted(file_) + ": " + name + " is compressed with a method certdrill cannot read (" +
                                   std::to_string(info.compression_method) + ")");
        errno = 0;
        if (const int rc = unzOpenCurrentFile(zip_); rc != UNZ_OK)
            throw AnkiPackageError(quoted(file_) + ": cannot open " + name + ": " + zip_error_text(rc, errno));
        std::ofstream out(to, std::ios::binary);
        char buf[1 << 16];
        std::uint64_t total = 0;
        int n;
        // minizip stops at the size the header claims; counting still bounds what is written.
        while (errno = 0, (n = unzReadCurrentFile(zip_, buf, sizeof buf)) > 0) {
            total += static_cast<std::uint64_t>(n);
            if (total > kMaxCollectionBytes) throw too_large();
            out.write(buf, n);
        }
        if (n < 0) throw damaged(zip_error_text(n, errno));
        // The CRC is checked on closing, and only when the entry was read to its claimed size.
        if (const int rc = unzCloseCurrentFile(zip_); rc != UNZ_OK) throw damaged(zip_error_text(rc, errno));
        if (total != info.uncompressed_size)
            throw damaged(std::string(name) + " holds fewer bytes than its header says");
        if (!out.flush()) throw AnkiPackageError("cannot unpack " + quoted(file_) + ": the disk may be full");
    }

private:
    AnkiPackageError too_large() const {
        return AnkiPackageError(quoted(file_) + ": the collection is larger than 1 GB; certdrill refuses it");
    }
    AnkiPackageError damaged(const std::string& why) const {
        return AnkiPackageError(quoted(file_) + " is damaged: " + why);
    }

    fs::path file_;
    ZipFiles files_;
    unzFile zip_ = nullptr;
};

struct Model {
    std::string name;
    bool cloze = false;
    int templates = 0;
    std::vector<std::string> fields;
};

std::map<std::int64_t, Model> read_models(const Database& db, const fs::path& package) {
    auto query = db.prepare("SELECT models FROM col LIMIT 1");
    if (!query.step()) throw AnkiPackageError(quoted(package) + " holds no Anki collection settings");
    Json models = Json::parse(query.text(0), nullptr, false);
    if (!models.is_object()) throw AnkiPackageError(quoted(package) + ": the note types cannot be read");
    std::map<std::int64_t, Model> out;
    for (const auto& [key, m] : models.items()) {
        if (!m.is_object()) continue;
        Model model;
        model.name = m.value("name", std::string("?"));
        model.cloze = m.value("type", 0) == 1;
        if (auto t = m.find("tmpls"); t != m.end() && t->is_array()) model.templates = static_cast<int>(t->size());
        if (auto f = m.find("flds"); f != m.end() && f->is_array())
            for (const auto& field : *f)
                model.fields.push_back(field.is_object() ? field.value("name", std::string()) : std::string());
        try {
            out[std::stoll(key)] = std::move(model);
        } catch (const std::exception&) {
        }
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string part;
    for (char c : s) {
        if (c == sep) {
            out.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    out.push_back(part);
    return out;
}

std::vector<AnkiNote> read_notes(const Database& db, const fs::path& package) {
    const auto models = read_models(db, package);
    std::vector<AnkiNote> out;
    auto query = db.prepare(
        "SELECT id, guid, mid, tags, flds, (SELECT count(*) FROM cards WHERE cards.nid = notes.id) "
        "FROM notes ORDER BY id");
    while (query.step()) {
        AnkiNote note;
        note.id = query.int64(0);
        note.guid = query.text(1);
        if (auto it = models.find(query.int64(2)); it != models.end()) {
            note.note_type = it->second.name;
            note.cloze = it->second.cloze;
            note.templates = it->second.templates;
            note.field_names = it->second.fields;
        } else {
            note.note_type = "unknown note type";
        }
        for (auto& t : split(query.text(3), ' '))
            if (!t.empty()) note.tags.push_back(t);
        note.fields = split(query.text(4), '\x1f');
        note.cards = query.integer(5);
        out.push_back(std::move(note));
    }
    return out;
}

}  // namespace

std::vector<AnkiNote> read_anki_package(const fs::path& apkg) {
    if (!fs::is_regular_file(apkg)) throw AnkiPackageError("no such file: " + quoted(apkg));
    ZipReader zip(apkg);
    const char* name = zip.has("collection.anki21") ? "collection.anki21"
                       : zip.has("collection.anki2") ? "collection.anki2"
                                                     : nullptr;
    if (!name) {
        if (zip.has("collection.anki21b"))
            throw AnkiPackageError(quoted(apkg) +
                                   " uses the newest Anki package format only; export it again from Anki with "
                                   "'Support older Anki versions' ticked");
        throw AnkiPackageError(quoted(apkg) + " is a zip file but holds no Anki collection (collection.anki2)");
    }
    TempDirectory temp;
    const fs::path copy = temp.path() / "collection.sqlite";
    zip.extract(name, copy);
    try {
        // A private copy: opening it read-write lets SQLite handle any journal mode.
        Database db(copy, Database::Mode::ReadWriteCreate);
        return read_notes(db, apkg);
    } catch (const SqliteError& e) {
        throw AnkiPackageError(quoted(apkg) + " holds a damaged or foreign collection: " + e.sqlite_message());
    }
}

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
            throw AnkiPackageError(quoted(file) + " already exists; certdrill does not overwrite files");
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
        throw AnkiPackageError(quoted(apkg) + " already exists; certdrill does not overwrite files");
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
