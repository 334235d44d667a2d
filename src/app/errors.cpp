#include "app/errors.hpp"

#include "store/store_error.hpp"

namespace certdrill::app {

ErrorReport explain(const std::exception& error) {
    if (const auto* store_error = dynamic_cast<const store::StoreError*>(&error))
        return {store_error->what(), store_error->fix()};
    return {error.what(), {}};
}

}  // namespace certdrill::app
