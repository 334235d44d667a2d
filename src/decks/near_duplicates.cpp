#include "decks/near_duplicates.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/text.hpp"

namespace certdrill::decks {

namespace {

bool is_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// Combines the hashes of three words in order (a different order gives a different shingle).
std::size_t shingle_hash(std::size_t a, std::size_t b, std::size_t c) {
    constexpr std::size_t kMul = 0x9E3779B97F4A7C15ull;
    std::size_t h = a;
    h = (h ^ (h >> 29)) * kMul + b;
    h = (h ^ (h >> 29)) * kMul + c;
    return h ^ (h >> 32);
}

// Appends to `out` the sorted, distinct hashes of the 3-word shingles of `s` (or the hash of the
// whole text when it has fewer words). Words are runs of lower-case letters, digits and non-ASCII
// bytes; each word is hashed once, in place, and a shingle's hash combines its words' hashes.
void append_shingles(const std::string& s, std::vector<std::size_t>& out, std::vector<std::size_t>& word_hashes) {
    const std::string lowered = text::lower(s);
    const std::hash<std::string_view> hash;
    word_hashes.clear();
    std::vector<std::string_view> first_words;  // kept only while there may be fewer than three
    std::size_t start = 0;
    for (std::size_t i = 0; i <= lowered.size(); ++i) {
        if (i < lowered.size() && is_word_byte(lowered[i])) continue;
        if (i > start) {
            const std::string_view word(lowered.data() + start, i - start);
            word_hashes.push_back(hash(word));
            if (first_words.size() < 3) first_words.push_back(word);
        }
        start = i + 1;
    }
    const std::size_t begin = out.size();
    if (word_hashes.size() < 3) {
        std::string all;
        for (const auto& w : first_words) (all += w) += ' ';
        out.push_back(hash(all));
        return;
    }
    for (std::size_t i = 0; i + 2 < word_hashes.size(); ++i)
        out.push_back(shingle_hash(word_hashes[i], word_hashes[i + 1], word_hashes[i + 2]));
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end());
    out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end()), out.end());
}

double jaccard_of_counts(std::size_t common, std::size_t a_size, std::size_t b_size) {
    const std::size_t total = a_size + b_size - common;
    return total == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(total);
}

// Every text's shingle set, stored one after another, and for each shingle the texts that hold it.
struct ShingleIndex {
    std::vector<std::size_t> hashes;    // text i's set is hashes[set_start[i], set_start[i + 1])
    std::vector<std::size_t> set_start;
    std::vector<std::uint32_t> group;   // per entry of `hashes`: its shingle's group
    std::vector<std::uint32_t> members;  // group g's texts, ascending: members[group_start[g], group_start[g + 1])
    std::vector<std::size_t> group_start;

    std::size_t set_size(std::size_t text) const { return set_start[text + 1] - set_start[text]; }
    std::size_t group_size(std::uint32_t g) const { return group_start[g + 1] - group_start[g]; }
};

ShingleIndex index_shingles(const std::vector<std::string>& texts) {
    ShingleIndex ix;
    ix.set_start.reserve(texts.size() + 1);
    std::vector<std::size_t> word_hashes;
    for (const auto& t : texts) {
        ix.set_start.push_back(ix.hashes.size());
        append_shingles(t, ix.hashes, word_hashes);
    }
    ix.set_start.push_back(ix.hashes.size());
    // The entries sorted by shingle, and by position (so by text) within one shingle: each run
    // is one group.
    std::vector<std::pair<std::size_t, std::uint32_t>> order(ix.hashes.size());
    for (std::size_t e = 0; e < order.size(); ++e) order[e] = {ix.hashes[e], static_cast<std::uint32_t>(e)};
    std::sort(order.begin(), order.end());
    std::vector<std::uint32_t> text_of(ix.hashes.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        std::fill(text_of.begin() + static_cast<std::ptrdiff_t>(ix.set_start[i]),
                  text_of.begin() + static_cast<std::ptrdiff_t>(ix.set_start[i + 1]), static_cast<std::uint32_t>(i));
    ix.group.resize(ix.hashes.size());
    ix.members.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (k == 0 || order[k].first != order[k - 1].first) ix.group_start.push_back(k);
        ix.group[order[k].second] = static_cast<std::uint32_t>(ix.group_start.size() - 1);
        ix.members.push_back(text_of[order[k].second]);
    }
    ix.group_start.push_back(order.size());
    return ix;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string>& texts,
                                                                 double threshold) {
    const ShingleIndex ix = index_shingles(texts);
    // Shingles shared by many stems ("which of the following") say nothing about duplication.
    constexpr std::size_t kCommon = 40;
    // For each text, the later texts sharing one of its uncommon shingles, each once, with how
    // many of those shingles they share. The sets hold each shingle once, so that count plus the
    // text's common shingles found in the other set is the whole intersection, and the Jaccard
    // index follows without merging the two sets. The common shingles are looked up only when
    // the candidate could reach the threshold if it held them all: the index only grows with the
    // count of shared shingles, so a candidate that fails with that count fails with the true one.
    std::vector<std::pair<std::size_t, std::size_t>> out;
    struct Candidate {
        std::size_t paired_with;  // the text it was last counted for
        std::size_t shared;       // uncommon shingles it shares with that text
    };
    std::vector<Candidate> candidates(texts.size(), Candidate{texts.size(), 0});
    std::vector<std::size_t> later, common, similar;
    for (std::size_t a = 0; a < texts.size(); ++a) {
        later.clear();
        common.clear();
        similar.clear();
        for (std::size_t e = ix.set_start[a]; e < ix.set_start[a + 1]; ++e) {
            const std::uint32_t g = ix.group[e];
            const std::size_t size = ix.group_size(g);
            if (size > kCommon) common.push_back(ix.hashes[e]);
            if (size < 2 || size > kCommon) continue;
            // A group's texts are in order: the later ones follow the first after `a`.
            const auto group_end = ix.members.begin() + static_cast<std::ptrdiff_t>(ix.group_start[g + 1]);
            auto m = std::upper_bound(ix.members.begin() + static_cast<std::ptrdiff_t>(ix.group_start[g]), group_end,
                                      static_cast<std::uint32_t>(a));
            for (; m != group_end; ++m) {
                Candidate& b = candidates[*m];
                if (b.paired_with != a) {
                    b = Candidate{a, 0};
                    later.push_back(*m);
                }
                ++b.shared;
            }
        }
        const std::size_t a_size = ix.set_size(a);
        for (std::size_t b : later) {
            const std::size_t b_size = ix.set_size(b);
            const std::size_t shared = candidates[b].shared;
            const std::size_t at_most = std::min({shared + common.size(), a_size, b_size});
            if (jaccard_of_counts(at_most, a_size, b_size) < threshold) continue;
            std::size_t in_both = shared;
            const auto b_begin = ix.hashes.begin() + static_cast<std::ptrdiff_t>(ix.set_start[b]);
            const auto b_end = ix.hashes.begin() + static_cast<std::ptrdiff_t>(ix.set_start[b + 1]);
            for (std::size_t s : common) in_both += std::binary_search(b_begin, b_end, s) ? 1 : 0;
            if (jaccard_of_counts(in_both, a_size, b_size) >= threshold) similar.push_back(b);
        }
        std::sort(similar.begin(), similar.end());
        for (std::size_t b : similar) out.emplace_back(a, b);
    }
    return out;
}

}  // namespace certdrill::decks
