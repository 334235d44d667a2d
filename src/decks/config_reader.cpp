#include "decks/config_reader.hpp"

#include <fstream>
#include <iterator>

#include "core/text.hpp"
#include "decks/diagnostic.hpp"
#include "decks/field_checks.hpp"
#include "decks/json_document.hpp"

namespace certdrill::decks {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxConfigBytes = 1024 * 1024;

class ConfigChecker {
public:
    ConfigChecker(const fs::path& file, const JsonDocument& doc, ConfigResult& out)
        : file_(file.string()), doc_(doc), out_(out) {}

    void error(const std::string& pointer, const std::string& message, const std::string& hint = {}) {
        const TextPosition pos = doc_.position_of(pointer);
        std::string line = file_ + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
                           ": error: " + message;
        if (!hint.empty()) line += " [hint: " + hint + "]";
        out_.errors.push_back(text::sanitize(line));
    }

    std::optional<int> integer(const Json& v, const std::string& pointer, int lo, int hi) {
        if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
            error(pointer, "'" + pointer.substr(1) + "' must be a whole number from " + std::to_string(lo) + " to " +
                               std::to_string(hi));
            return std::nullopt;
        }
        return v.get<int>();
    }

private:
    std::string file_;
    const JsonDocument& doc_;
    ConfigResult& out_;
};

fs::path expand(const std::string& dir, const fs::path& base, const fs::path& home) {
    if (dir == "~") return home;
    if (dir.rfind("~/", 0) == 0) return home / dir.substr(2);
    const fs::path p(dir);
    return p.is_absolute() ? p : base / p;
}

void read_fields(const Json& root, const fs::path& file, const fs::path& home, ConfigChecker& c, UserConfig& cfg) {
    static const std::vector<std::string> kFields = {"new_cards_per_day", "desired_retention", "day_start",
                                                     "default_exam",      "deck_dirs",         "theme"};
    for (const auto& [key, value] : root.items()) {
        const std::string pointer = "/" + pointer_escape(key);
        if (key == "$schema") continue;
        if (key == "new_cards_per_day") {
            cfg.new_cards_per_day = c.integer(value, pointer, 0, 1000);
        } else if (key == "day_start") {
            cfg.day_start = c.integer(value, pointer, 0, 23);
        } else if (key == "desired_retention") {
            if (!value.is_number() || value.get<double>() < 0.70 || value.get<double>() > 0.99)
                c.error(pointer, "'desired_retention' must be a number from 0.70 to 0.99", "0.90 is FSRS's default");
            else
                cfg.desired_retention = value.get<double>();
        } else if (key == "default_exam") {
            // Read like --exam (any case, or the short name) once the decks are loaded.
            if (!value.is_string() || value.get<std::string>().empty())
                c.error(pointer, "'default_exam' must be an exam id", "e.g. \"cissp\"");
            else
                cfg.default_exam = value.get<std::string>();
        } else if (key == "theme") {
            if (!value.is_string() || (value != "color" && value != "mono"))
                c.error(pointer, "'theme' must be \"color\" or \"mono\"");
            else
                cfg.theme = value.get<std::string>();
        } else if (key == "deck_dirs") {
            if (!value.is_array()) {
                c.error(pointer, "'deck_dirs' must be an array of directory names");
                continue;
            }
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (!value[i].is_string() || value[i].get<std::string>().empty())
                    c.error(pointer + "/" + std::to_string(i), "each deck directory must be a non-empty string");
                else
                    cfg.deck_dirs.push_back(expand(value[i].get<std::string>(), file.parent_path(), home));
            }
        } else {
            const std::string hint = did_you_mean(key, kFields);
            std::string known;
            for (const auto& f : kFields) known += (known.empty() ? "" : ", ") + f;
            c.error(pointer, "unknown setting '" + key + "'", hint.empty() ? "known settings: " + known : hint);
        }
    }
}

}  // namespace

ConfigResult read_config(const fs::path& file, const fs::path& home) {
    ConfigResult result;
    std::error_code ec;
    if (!fs::exists(file, ec)) return result;
    const auto size = fs::file_size(file, ec);
    if (ec || size > kMaxConfigBytes) {
        result.errors.push_back(file.string() + ":1:1: error: cannot read the settings file" +
                                (ec ? " (" + ec.message() + ")" : std::string(" (larger than 1 MiB)")));
        return result;
    }
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        result.errors.push_back(file.string() + ":1:1: error: cannot read the settings file");
        return result;
    }
    const JsonDocument doc = JsonDocument::parse(std::move(text));
    ConfigChecker checker(file, doc, result);
    if (!doc.ok()) {
        const TextPosition pos = doc.position_at(doc.syntax_error()->offset);
        result.errors.push_back(text::sanitize(file.string() + ":" + std::to_string(pos.line) + ":" +
                                               std::to_string(pos.column) + ": error: " + doc.syntax_error()->message));
        return result;
    }
    for (const auto& dup : doc.duplicate_keys()) checker.error(dup.pointer, dup.message, dup.hint);
    if (!doc.root().is_object()) {
        checker.error("", "the settings file must hold one JSON object", "e.g. {\"new_cards_per_day\": 15}");
        return result;
    }
    read_fields(doc.root(), file, home, checker, result.config);
    return result;
}

}  // namespace certdrill::decks
