#include "cli/runtime.hpp"

#include <algorithm>

#include <set>

#include "app/deck_selection.hpp"
#include "core/text.hpp"
#include "store/paths.hpp"

namespace certdrill::cli {

void print_error(std::ostream& err, const std::string& problem, const std::string& fix) {
    // Messages may quote user input or deck text: keep control sequences off the terminal.
    err << "certdrill: " << text::sanitize(problem) << '\n';
    if (!fix.empty()) err << "  fix: " << text::sanitize(fix) << '\n';
}

std::unique_ptr<Runtime> Runtime::open(const RuntimeOptions& options, const app::EnvLookup& env, std::ostream& err) {
    std::unique_ptr<Runtime> rt(new Runtime());
    try {
        rt->clock_ = app::make_clock(env);
    } catch (const std::invalid_argument& e) {
        throw app::usage_error(e.what(), "set CERTDRILL_NOW to a time such as 2026-01-31T09:00:00Z, or unset it");
    }
    rt->days_ = app::make_day_counter(env);
    if (options.desired_retention) {
        fsrs::Parameters parameters;
        parameters.desired_retention = *options.desired_retention;
        rt->scheduler_ = fsrs::Scheduler(parameters);
    }

    decks::Diagnostics discovery;
    auto files = decks::collect_deck_files(options.deck_dirs, discovery);
    rt->decks_ = decks::load_files_cached(files, {{}, false}, options.cache, options.card_texts).result;
    std::set<std::string> broken;
    for (const auto& d : rt->decks_.diagnostics.items)
        if (d.severity == decks::Severity::Error) broken.insert(d.file);
    for (const auto& d : discovery.items) broken.insert(d.file);
    if (!broken.empty()) {
        err << "certdrill: " << broken.size() << (broken.size() == 1 ? " deck file has" : " deck files have")
            << " errors; the cards with errors are left out:";
        for (const auto& f : broken) err << ' ' << text::sanitize(f);
        err << "\n  fix: run 'certdrill validate' to see each problem and how to fix it\n";
        rt->notices_.push_back(std::to_string(broken.size()) +
                               (broken.size() == 1 ? " deck file has" : " deck files have") +
                               " errors; run 'certdrill validate' for details");
    }
    if (rt->decks_.library.exams.empty())
        throw app::data_error("no exam blueprints were found in the deck directories",
                              "reinstall certdrill, or pass --decks DIR with exam.json files");

    const std::filesystem::path path = options.db ? std::filesystem::path(*options.db) : store::default_db_path(env);
    rt->store_ = std::make_unique<store::ProgressStore>(path);
    rt->detect_other_instance(err);
    return rt;
}

void Runtime::restrict_to_decks(const std::vector<std::string>& deck_ids, const std::optional<std::string>& exam,
                                app::IdSource exam_source) {
    decks_.library = app::restrict_to_decks(decks_.library, deck_ids, exam, exam_source);
}

Runtime::~Runtime() = default;

// The store holds an advisory lock beside the database that marks a running instance. SQLite
// already keeps two instances safe; the lock only lets the second one say so.
void Runtime::detect_other_instance(std::ostream& err) {
    if (!store_->shared_with_other_instance()) return;
    notices_.push_back("another certdrill is using this progress database; answers from both are kept");
    err << "certdrill: note: " << notices_.back()
        << "\n  fix: close the other one, or use --db for a separate database\n";
}

}  // namespace certdrill::cli
