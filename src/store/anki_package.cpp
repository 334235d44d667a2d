#include "store/anki_package.hpp"

#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/sha1.hpp"
#include "store/sqlite.hpp"

namespace certdrill::store {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// A collection larger than this is refused rather than unpacked: protects against zip bombs.
constexpr zip_uint64_t kMaxCollectionBytes = 1024ull * 1024 * 1024;

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

std::string zip_message(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return message;
}

class ZipReader {
public:
    explicit ZipReader(const fs::path& file) {
        int code = 0;
        zip_ = zip_open(file.c_str(), ZIP_RDONLY, &code);
        if (!zip_)
            throw AnkiPackageError(quoted(file) + " is not an Anki package: " + zip_message(code) +
                                   "; export it from Anki with File > Export, as 'Anki Deck Package (*.apkg)'");
    }
    ~ZipReader() {
        if (zip_) zip_discard(zip_);  // read-only: nothing to write back
    }
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    bool has(const char* name) const { return zip_name_locate(zip_, name, 0) >= 0; }

    void extract(const char* name, const fs::path& to, const fs::path& package) const {
        const zip_int64_t index = zip_name_locate(zip_, name, 0);
        zip_stat_t st;
        if (index < 0 || zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0)
            throw AnkiPackageError(quoted(package) + ": cannot read " + name);
        if ((st.valid & ZIP_STAT_SIZE) && st.size > kMaxCollectionBytes)
            throw AnkiPackageError(quoted(package) + ": the collection is larger than 1 GB; certdrill refuses it");
        zip_file_t* in = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
        if (!in) throw AnkiPackageError(quoted(package) + ": cannot open " + name + ": " + zip_strerror(zip_));
        std::ofstream out(to, std::ios::binary);
        char buf[1 << 16];
        zip_uint64_t total = 0;
        zip_int64_t n;
        while ((n = zip_fread(in, buf, sizeof buf)) > 0) {
            total += static_cast<zip_uint64_t>(n);
            if (total > kMaxCollectionBytes) break;
            out.write(buf, n);
        }
        const std::string error = n < 0 ? zip_file_strerror(in) : "";
        zip_fclose(in);
        if (total > kMaxCollectionBytes)
            throw AnkiPackageError(quoted(package) + ": the collection is larger than 1 GB; certdrill refuses it");
        if (n < 0) throw AnkiPackageError(quoted(package) + " is damaged: " + error);
        if (!out.flush()) throw AnkiPackageError("cannot unpack " + quoted(package) + ": the disk may be full");
    }

private:
    zip_t* zip_ = nullptr;
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
    zip.extract(name, copy, apkg);
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

void zip_package(const fs::path& apkg, const fs::path& collection) {
    int code = 0;
    zip_t* zip = zip_open(apkg.c_str(), ZIP_CREATE | ZIP_EXCL, &code);
    if (!zip) {
        if (code == ZIP_ER_EXISTS)
            throw AnkiPackageError(quoted(apkg) + " already exists; certdrill does not overwrite files");
        throw AnkiPackageError("cannot create " + quoted(apkg) + ": " + zip_message(code));
    }
    static const char kMedia[] = "{}";  // no media files
    zip_source_t* db = zip_source_file(zip, collection.c_str(), 0, -1);
    zip_source_t* media = zip_source_buffer(zip, kMedia, 2, 0);
    bool ok = db && zip_file_add(zip, "collection.anki2", db, ZIP_FL_ENC_UTF_8) >= 0;
    if (!ok && db) zip_source_free(db);
    const bool media_ok = ok && media && zip_file_add(zip, "media", media, ZIP_FL_ENC_UTF_8) >= 0;
    if (ok && !media_ok && media) zip_source_free(media);
    if (!ok || !media_ok || zip_close(zip) != 0) {
        const std::string error = zip_strerror(zip);
        zip_discard(zip);
        throw AnkiPackageError("cannot write " + quoted(apkg) + ": " + error);
    }
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
    zip_package(apkg, collection);
}

}  // namespace certdrill::store
