#include "app/errors.hpp"

#include "store/store_error.hpp"

namespace certdrill::app {

ErrorReport explain(const std::exception& error) {
    if (const auto* app_error = dynamic_cast<const AppError*>(&error))
        return {app_error->what(), app_error->fix(), app_error->status()};
    if (const auto* store_error = dynamic_cast<const store::StoreError*>(&error))
        return {store_error->what(), store_error->fix(), ExitStatus::DataError};
    return {error.what(), {}, ExitStatus::DataError};
}

}  // namespace certdrill::app
