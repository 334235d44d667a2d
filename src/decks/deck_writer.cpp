#include "decks/deck_writer.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <streambuf>

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

namespace {

// An output stream buffer over a file descriptor that keeps the errno of the first failed write:
// the caller may do more (read the database) before it looks, and errno would be long gone.
class FdBuffer : public std::streambuf {
public:
    explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
    int failure() const { return failure_; }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        for (const char* p = pbase(); p < pptr() && !failure_;) {
            const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) failure_ = n < 0 ? errno : EIO;
            else p += n;
        }
        setp(buffer_, buffer_ + sizeof buffer_);
        return !failure_;
    }

    int fd_;
    int failure_ = 0;
    char buffer_[64 * 1024];
};

// A temporary name beside `file` that nobody had: created with O_EXCL (so nothing there before is
// written through) and the usual 0666 less the umask, as the finished file should be.
int create_temporary(const fs::path& file, std::string& temp) {
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
        char suffix[17];
        std::snprintf(suffix, sizeof suffix, "%08x%08x", entropy(), entropy());
        temp = (file.parent_path() / ("." + file.filename().string() + "." + suffix)).string();
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

// Puts the finished temporary file in place under `file`, never replacing one that appeared
// meanwhile: link() where the file system has links; renameat2's no-replace rename where it has
// not (FAT, exFAT, many network and FUSE mounts), which such file systems mostly support.
int move_into_place(const std::string& temp, const fs::path& file) {
    if (::link(temp.c_str(), file.c_str()) == 0) return 0;
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS && errno != EMLINK) return -1;
    return ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, file.c_str(), RENAME_NOREPLACE);
}

}  // namespace

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
    std::string temp;
    const int fd = create_temporary(file, temp);
    if (fd < 0) {
        error = "cannot write '" + file.string() + "': " + std::strerror(errno);
        return NewFile::Failed;
    }
    // The temporary file goes whatever happens, an exception from `write` included (a kill
    // leaves it, hidden, beside the target).
    struct Remove {
        const std::string& path;
        int fd;
        ~Remove() {
            ::close(fd);
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    } remove_temp{temp, fd};
    FdBuffer buffer(fd);
    std::ostream out(&buffer);
    write(out);
    out.flush();
    int failure = buffer.failure();
    if (!failure && !out) failure = EIO;
    if (!failure && ::fsync(fd) != 0) failure = errno;
    if (failure) {
        error = "cannot write '" + file.string() + "': " + std::strerror(failure);
        return NewFile::Failed;
    }
    if (move_into_place(temp, file) != 0) {
        const int move_errno = errno;
        if (move_errno == EEXIST) {
            error = "'" + file.string() + "' already exists; certdrill does not overwrite files";
            return NewFile::Exists;
        }
        error = "cannot create '" + file.string() + "': " + std::strerror(move_errno);
        return NewFile::Failed;
    }
    return NewFile::Written;
}

}  // namespace certdrill::decks
