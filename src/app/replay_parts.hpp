#pragma once
// Internal to the app layer: what the replay files (replay_input.cpp, reading an input line, and
// replay.cpp, replaying it and the line loop) share.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fsrs.hpp"
#include "core/time.hpp"

namespace certdrill::app::detail {

struct ReviewEvent {
    UnixMs at;
    fsrs::Rating rating;
};

// Everything one input line asks for. One instance is reused for every line, so after the first
// few lines the vectors have their capacity and parsing a line allocates (almost) nothing.
struct CardRequest {
    std::vector<ReviewEvent> reviews;
    std::vector<double> weights;  // as given: 19 or 21 values
    bool has_reviews = false;
    bool has_weights = false;
    fsrs::Parameters parameters;

    void reset() {
        reviews.clear();
        weights.clear();
        has_reviews = false;
        has_weights = false;
        // Member-wise copy: the step vectors keep their capacity, so this does not allocate.
        parameters = defaults;
    }

private:
    const fsrs::Parameters defaults{};
};

// The common plain line, read directly; false hands the line over to parse_general_request.
bool parse_plain_history(std::string_view line, CardRequest& request);
// Any line, read with the general JSON parser; returns why it is not valid replay input.
std::optional<std::string> parse_general_request(std::string_view line, CardRequest& request);

}  // namespace certdrill::app::detail
