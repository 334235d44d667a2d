#include "store/anki_package.hpp"

#include <minizip/unzip.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <system_error>

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

// A collection larger than this is refused rather than unpacked: protects against zip bombs.
constexpr std::uint64_t kMaxCollectionBytes = 1024ull * 1024 * 1024;

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
    std::error_code ec;
    const fs::file_status status = fs::status(apkg, ec);
    if (!fs::exists(status)) throw AnkiPackageError("no such file: " + quoted(apkg));
    if (!fs::is_regular_file(status))
        throw AnkiPackageError(quoted(apkg) + " is " + (fs::is_directory(status) ? "a directory" : "not a regular file") +
                               ", not an Anki package (.apkg)");
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

}  // namespace certdrill::store
