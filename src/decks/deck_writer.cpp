#include "decks/deck_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdlib.h>

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

bool write_new_file(const fs::path& file, const std::string& text, std::string& error) {
    return create_new_file(file, text, error) == NewFile::Written;
}

NewFile create_new_file(const fs::path& file, const std::string& text, std::string& error) {
    std::error_code ec;
    if (fs::exists(file, ec)) {
        error = "'" + file.string() + "' already exists; certdrill does not overwrite files";
        return NewFile::Exists;
    }
    if (!file.parent_path().empty()) fs::create_directories(file.parent_path(), ec);
    const fs::path temp = file.string() + ".tmp-certdrill";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot write '" + temp.string() + "': " + std::strerror(errno);
        return NewFile::Failed;
    }
    std::size_t done = 0;
    bool ok = true;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    // link() fails when `file` appeared meanwhile, so even a race never overwrites it.
    if (ok && ::link(temp.c_str(), file.c_str()) != 0) {
        const int link_errno = errno;
        error = link_errno == EEXIST ? "'" + file.string() + "' already exists; certdrill does not overwrite files"
                                     : "cannot create '" + file.string() + "': " + std::strerror(link_errno);
        fs::remove(temp, ec);
        return link_errno == EEXIST ? NewFile::Exists : NewFile::Failed;
    }
    fs::remove(temp, ec);
    if (!ok) error = "cannot write '" + file.string() + "': " + std::strerror(saved);
    return ok ? NewFile::Written : NewFile::Failed;
}

}  // namespace certdrill::decks
