#include "decks/deck_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdlib.h>

#include <ext/stdio_filebuf.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "decks/field_checks.hpp"
#include "decks/json_document.hpp"
#include "decks/loader.hpp"

namespace certdrill::decks {

namespace fs = std::filesystem;

namespace {

Json answer_json(const Card& card) {
    std::vector<std::string> letters;
    for (std::size_t i = 0; i < card.options.size(); ++i)
        if (card.options[i].correct) letters.push_back(std::string(1, static_cast<char>('A' + i)));
    if (card.type == CardType::Single) return letters.empty() ? Json("") : Json(letters.front());
    return Json(letters);
}

Json card_json(const Card& card) {
    Json j;
    j["id"] = card.id;
    j["type"] = to_string(card.type);
    j["domain"] = card.domain_id;
    if (!card.topics.empty()) j["topics"] = card.topics;
    if (card.difficulty > 0) j["difficulty"] = card.difficulty;
    if (card.is_question()) {
        if (card.type == CardType::Multi) j["choose"] = card.choose;
        j["stem"] = card.stem;
        j["options"] = Json::array();
        for (const auto& o : card.options) {
            Json option;
            option["text"] = o.text;
            if (!o.reason.empty()) option["reason"] = o.reason;
            j["options"].push_back(option);
        }
        j["answer"] = answer_json(card);
        if (!card.explanation.empty()) j["explanation"] = card.explanation;
    } else {
        j["front"] = card.front;
        j["back"] = card.back;
    }
    if (!card.references.empty()) j["references"] = card.references;
    return j;
}

}  // namespace

bool is_valid_id(std::string_view id) { return is_identifier(id); }

std::string deck_json(const DeckInfo& info, const std::vector<Card>& cards) {
    Json root;
    root["format_version"] = 1;
    root["kind"] = "deck";
    root["id"] = info.id;
    root["title"] = info.title;
    root["exam"] = info.exam_id;
    root["author"] = info.author;
    root["version"] = info.version;
    root["license"] = info.license;
    if (!info.description.empty()) root["description"] = info.description;
    root["cards"] = Json::array();
    for (const auto& c : cards) root["cards"].push_back(card_json(c));
    return root.dump(2) + "\n";
}

Diagnostics check_deck(const DeckInfo& info, const std::vector<Card>& cards, const std::vector<fs::path>& context) {
    std::string pattern = (fs::temp_directory_path() / "certdrill-check-XXXXXX.json").string();
    const int fd = ::mkstemps(pattern.data(), 5);
    Diagnostics out;
    if (fd < 0) {
        out.add({pattern, 0, 0, Severity::Error, {}, {}, std::string("cannot check the deck: ") + std::strerror(errno),
                 "check that the temporary directory is writable"});
        return out;
    }
    const std::string text = deck_json(info, cards);
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (ok) {
        LoadOptions options;
        options.context_files = context;
        out = load_files({fs::path(pattern)}, options).diagnostics;
    } else {
        out.add({pattern, 0, 0, Severity::Error, {}, {}, "cannot check the deck: the temporary file could not be written",
                 "check the free space in the temporary directory"});
    }
    std::error_code ec;
    fs::remove(pattern, ec);
    return out;
}

int card_index(const std::string& pointer) {
    constexpr std::string_view prefix = "/cards/";
    if (pointer.rfind(prefix, 0) != 0) return -1;
    std::size_t i = prefix.size();
    int n = 0;
    bool digits = false;
    while (i < pointer.size() && pointer[i] >= '0' && pointer[i] <= '9') {
        n = n * 10 + (pointer[i++] - '0');
        digits = true;
    }
    return digits ? n : -1;
}

NewFile create_new_file(const fs::path& file, const std::string& text, std::string& error) {
    return create_new_file(
        file, [&text](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); }, error);
}

NewFile create_new_file(const fs::path& file, const std::function<void(std::ostream&)>& write, std::string& error) {
    std::error_code ec;
    // symlink_status: a dangling link is there too, and writing through it would create its target.
    const fs::file_type there = fs::symlink_status(file, ec).type();  // not_found comes with ENOENT in ec
    if (there == fs::file_type::none) {
        error = "cannot write '" + file.string() + "': " + ec.message();
        return NewFile::Failed;
    }
    if (there != fs::file_type::not_found) {
        error = "'" + file.string() + "' already exists; certdrill does not overwrite files";
        return NewFile::Exists;
    }
    if (!file.parent_path().empty()) fs::create_directories(file.parent_path(), ec);
    // mkstemp creates a file no one else had, so nothing already there is ever written through.
    std::string temp = (file.parent_path() / ("." + file.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        error = "cannot write '" + file.string() + "': " + std::strerror(errno);
        return NewFile::Failed;
    }
    ::fchmod(fd, 0644);
    // The temporary file goes whatever happens, an exception from `write` included.
    struct Remove {
        const std::string& path;
        ~Remove() {
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    } remove_temp{temp};
    int failure = 0;  // errno of the failed write or sync
    {
        __gnu_cxx::stdio_filebuf<char> buffer(fd, std::ios::out | std::ios::binary);  // closes fd
        std::ostream out(&buffer);
        errno = 0;
        write(out);
        out.flush();
        if (!out)
            failure = errno ? errno : EIO;
        else if (::fsync(fd) != 0)
            failure = errno;
    }
    if (failure) {
        error = "cannot write '" + file.string() + "': " + std::strerror(failure);
        return NewFile::Failed;
    }
    // link() fails when `file` appeared meanwhile, so even a race never overwrites it.
    if (::link(temp.c_str(), file.c_str()) != 0) {
        const int link_errno = errno;
        if (link_errno == EEXIST) {
            error = "'" + file.string() + "' already exists; certdrill does not overwrite files";
            return NewFile::Exists;
        }
        error = "cannot create '" + file.string() + "': " + std::strerror(link_errno);
        return NewFile::Failed;
    }
    return NewFile::Written;
}

}  // namespace certdrill::decks
