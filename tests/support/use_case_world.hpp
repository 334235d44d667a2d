#pragma once
// What a use-case test works with: a fresh progress database, the default scheduler and a clock
// the test moves by hand, over the fixture library.
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "app/services.hpp"
#include "store/progress_store.hpp"

namespace certdrill::testing {

struct UseCaseWorld {
    TempDir dir;
    store::ProgressStore store{dir.path / "progress.db"};
    fsrs::Scheduler scheduler;
    UnixMs now = *parse_iso8601("2026-03-02T09:00:00Z");

    app::Services services(const Library& lib = fixture_library()) {
        return app::Services{lib, store, scheduler, [this] { return now; }, utc_day_counter()};
    }
};

}  // namespace certdrill::testing
