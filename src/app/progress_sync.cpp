#include "app/progress_sync.hpp"

#include <algorithm>
#include <array>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>

#include "core/text.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxLineBytes = 64 * 1024;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 8-4-4-4-12 hexadecimal digits, returned in lower case.
std::optional<std::string> normalized_uuid(std::string_view s) {
    if (s.size() != 36) return std::nullopt;
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? out[i] != '-' : !is_hex(out[i])) return std::nullopt;
        if (out[i] >= 'A' && out[i] <= 'F') out[i] = static_cast<char>(out[i] - 'A' + 'a');
    }
    return out;
}

bool is_card_id(std::string_view s) {
    return !s.empty() && s.size() <= 200 && !text::find_control_character(s) && text::sanitize(s) == s;
}

std::string iso(UnixMs t) {
    std::array<char, kIso8601MaxLength> buffer{};
    return std::string(buffer.data(), write_iso8601(t, buffer.data()));
}

json to_json(const store::ReviewRecord& r) {
    json line = {{"id", r.uuid},         {"card", r.card_id}, {"at", iso(r.at)},    {"rating", r.rating},
                 {"correct", r.correct}, {"mode", r.mode},    {"ms", r.response_ms}};
    if (!r.chosen.empty()) line["chosen"] = r.chosen;
    if (r.guessed) line["guessed"] = true;
    return line;
}

// One line of an export, checked field by field. Returns the reason when it is not usable.
std::optional<std::string> read_review(const json& j, store::ReviewRecord& r) {
    static const std::set<std::string> kKnown = {"id",   "card", "at",     "rating", "correct",
                                                 "mode", "ms",   "chosen", "guessed"};
    if (!j.is_object()) return "a line must hold one JSON object";
    for (const auto& [key, value] : j.items())
        if (!kKnown.count(key)) return "unknown field " + json(key).dump(-1, ' ', true, json::error_handler_t::replace);
    const auto text = [&](const char* name) -> const std::string* {
        auto it = j.find(name);
        return it != j.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    };
    const std::string* id = text("id");
    const auto uuid = id ? normalized_uuid(*id) : std::nullopt;
    if (!uuid) return "\"id\" must be a UUID such as \"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a77\"";
    r.uuid = *uuid;
    const std::string* card = text("card");
    if (!card || !is_card_id(*card)) return "\"card\" must be a card id, without control characters";
    r.card_id = *card;
    const std::string* at = text("at");
    const auto when = at ? parse_iso8601(*at) : std::nullopt;
    if (!when) return "\"at\" must be an ISO 8601 time such as \"2026-11-30T08:15:00Z\"";
    r.at = *when;
    const auto rating = j.find("rating");
    if (rating == j.end() || !rating->is_number_integer() || rating->get<std::int64_t>() < 1 ||
        rating->get<std::int64_t>() > 4)
        return "\"rating\" must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)";
    r.rating = rating->get<int>();
    const auto correct = j.find("correct");
    if (correct == j.end() || !correct->is_boolean()) return "\"correct\" must be true or false";
    r.correct = correct->get<bool>();
    const std::string* mode = text("mode");
    if (!mode || (*mode != "study" && *mode != "exam")) return "\"mode\" must be \"study\" or \"exam\"";
    r.mode = *mode;
    if (auto ms = j.find("ms"); ms != j.end()) {
        if (!ms->is_number_integer() || ms->get<std::int64_t>() < 0)
            return "\"ms\" must be a whole number of milliseconds, 0 or more";
        r.response_ms = ms->get<std::int64_t>();
    }
    if (j.contains("chosen")) {
        const std::string* chosen = text("chosen");
        if (!chosen || chosen->size() > 64 || text::find_control_character(*chosen))
            return "\"chosen\" must be the letters picked, such as \"AC\"";
        r.chosen = *chosen;
    }
    if (auto guessed = j.find("guessed"); guessed != j.end()) {
        if (!guessed->is_boolean()) return "\"guessed\" must be true or false";
        r.guessed = guessed->get<bool>();
    }
    return std::nullopt;
}

std::string one_line(std::string message) {
    message = text::sanitize(message.substr(0, 300));
    std::replace(message.begin(), message.end(), '\n', ' ');
    return message;
}

std::int64_t elapsed_days(const DayCounter& days, const fsrs::MemoryState& m, UnixMs now) {
    return m.last_review == 0 ? 0 : std::max<std::int64_t>(0, days.days_between(m.last_review, now));
}

}  // namespace

std::size_t export_progress(const store::ProgressStore& store, std::ostream& out) {
    std::size_t count = 0;
    store.for_each_review_by_time([&](const store::ReviewRecord& r) {
        out << to_json(r).dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
        ++count;
    });
    return count;
}

std::vector<store::ReviewRecord> read_export(std::istream& in, ImportReport& report) {
    std::vector<store::ReviewRecord> incoming;
    std::set<std::string> seen;
    std::size_t line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ++report.lines;
        const auto fail = [&](const std::string& why) {
            ++report.bad_lines;
            if (report.errors.size() < 100)
                report.errors.push_back("line " + std::to_string(line_number) + ": " + one_line(why));
        };
        if (line.size() > kMaxLineBytes) {
            fail("longer than " + std::to_string(kMaxLineBytes) + " bytes");
            continue;
        }
        const json j = json::parse(line, nullptr, false);
        if (j.is_discarded()) {
            fail("invalid JSON");
            continue;
        }
        store::ReviewRecord r;
        if (auto why = read_review(j, r)) {
            fail(*why);
            continue;
        }
        if (!seen.insert(r.uuid).second) {
            ++report.already_present;
            continue;
        }
        incoming.push_back(std::move(r));
    }
    if (in.bad()) {
        ++report.bad_lines;
        report.errors.push_back("the input could not be read to the end");
    }
    return incoming;
}

ImportReport import_progress(const Services& services, std::istream& in) {
    ImportReport report;
    std::vector<store::ReviewRecord> incoming = read_export(in, report);
    if (report.bad_lines > 0) return report;
    // A new answer dated after now (a day's leeway for machines whose clocks differ) would schedule
    // its card from the future: it would not come back until then, however far off. Answers this
    // machine has already are skipped anyway, whatever their date.
    const UnixMs latest = services.clock() + kMsPerDay;
    for (const auto& r : incoming) {
        if (r.at <= latest || services.store.has_answer(r.uuid)) continue;
        ++report.from_the_future;
        if (report.errors.size() < 100)
            report.errors.push_back("answer " + r.uuid + " is dated " + iso(r.at) + ", later than now");
    }
    if (report.from_the_future > 0) return report;

    std::set<std::string> unknown;
    const auto known = cards_by_id(services.library);
    for (const auto& r : incoming)
        if (!known.count(r.card_id)) unknown.insert(r.card_id);
    report.unknown_cards.assign(unknown.begin(), unknown.end());

    // Replays one card's whole log, oldest first. An answer whose starting state is unchanged
    // keeps the state this machine computed (it may have used a domain's own retention); the
    // others are computed afresh with the scheduler's parameters.
    const auto replay = [&](std::vector<store::ReviewRecord>& history) {
        fsrs::MemoryState state;
        for (auto& r : history) {
            const bool unchanged = r.id != 0 && r.before == state;
            r.before = state;
            if (!unchanged)
                r.after = services.scheduler.next(state, static_cast<fsrs::Rating>(r.rating), r.at,
                                                  elapsed_days(services.days, state, r.at));
            state = r.after;
        }
    };
    const auto merged = services.store.merge_reviews(std::move(incoming), replay);
    report.added = merged.added;
    report.already_present += merged.already_present;
    report.cards_rebuilt = merged.cards_rebuilt;
    return report;
}

}  // namespace certdrill::app
