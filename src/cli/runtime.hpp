#pragma once
// Opens what the interactive commands need (decks, progress store, scheduler, clock) and turns
// every failure into a message that names the problem and the fix.
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/environment.hpp"
#include "app/errors.hpp"
#include "app/exam_ids.hpp"
#include "app/services.hpp"
#include "decks/library_cache.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"

namespace certdrill::cli {

struct RuntimeOptions {
    std::optional<std::string> db;
    std::vector<std::filesystem::path> deck_dirs;
    std::optional<double> desired_retention;  // FSRS's default (0.90) when unset
    decks::CacheSettings cache;               // the cache of loaded decks; off when its dir is empty
    // Kept unless the command never shows or checks a card's text (see decks::CardTexts).
    decks::CardTexts card_texts = decks::CardTexts::Kept;
};

class Runtime {
public:
    // Throws app::AppError (bad CERTDRILL_NOW, no blueprints) or store::StoreError (unusable
    // database); notices about deck files with errors go to `err`.
    static std::unique_ptr<Runtime> open(const RuntimeOptions& options, const app::EnvLookup& env, std::ostream& err);

    const Library& library() const { return decks_.library; }
    // Keeps only these decks' cards and their exams (`--deck`). Throws a usage error when an id
    // names no loaded deck, or when `exam` (named too) is not the exam of those decks: what is
    // left would not hold it, and it would be reported as unknown.
    void restrict_to_decks(const std::vector<std::string>& deck_ids, const std::optional<std::string>& exam,
                           app::IdSource exam_source);
    store::ProgressStore& store() { return *store_; }
    app::Services services() { return app::Services{decks_.library, *store_, scheduler_, clock_, days_}; }
    std::size_t deck_errors() const { return decks_.diagnostics.error_count(); }
    // Things the user should know that do not stop the program: deck files with errors, or
    // another certdrill on the same database (both can run; a card may then show up in both).
    // Printed to stderr when found; the full-screen trainer repeats the first on its status line.
    const std::vector<std::string>& notices() const { return notices_; }
    // Closes the progress database as the destructor would (everything written is durable, the
    // instance lock is released); store() must not be called afterwards.
    void close_store() { store_.reset(); }
    ~Runtime();

private:
    Runtime() = default;
    void detect_other_instance(std::ostream& err);
    std::vector<std::string> notices_;
    decks::LoadResult decks_;
    std::unique_ptr<store::ProgressStore> store_;
    fsrs::Scheduler scheduler_;
    Clock clock_;
    DayCounter days_;
};

// "certdrill: <problem>" and, on a second line, "  fix: <fix>".
void print_error(std::ostream& err, const std::string& problem, const std::string& fix = {});

}  // namespace certdrill::cli
