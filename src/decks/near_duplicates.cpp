#include "decks/near_duplicates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
#include <utility>

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
void append_shingles(std::string_view s, std::vector<std::size_t>& out, std::vector<std::size_t>& word_hashes) {
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

// Every text's shingle set, stored one after another, and each shingle's group: its entries in
// sorted order, whose count is how many texts hold it.
struct ShingleIndex {
    std::vector<std::size_t> set_start;  // text i's set is entries [set_start[i], set_start[i + 1])
    std::vector<std::uint32_t> group;    // per entry: its shingle's group
    std::vector<std::size_t> group_start;  // group g's entries in sorted order: [group_start[g], group_start[g + 1])

    std::size_t set_size(std::size_t text) const { return set_start[text + 1] - set_start[text]; }
    std::size_t group_size(std::uint32_t g) const { return group_start[g + 1] - group_start[g]; }
};

// Sorts the entries by hash, each hash's entries staying in the order given: a least significant
// digit radix sort, 11 bits a pass, far quicker than comparison sorting. `hashes` is sorted along;
// the result is the entries' order. The keys and the entry numbers are sorted as two arrays, and
// the text's own hashes are the keys, so that little memory is taken afresh (at 50,000 stems,
// clearing fresh pages was a large part of the check).
std::vector<std::uint32_t> sort_by_hash(std::vector<std::size_t>& hashes) {
    constexpr int kBits = 11;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    const std::size_t n = hashes.size();
    std::vector<std::uint32_t> entries(n);
    for (std::size_t e = 0; e < n; ++e) entries[e] = static_cast<std::uint32_t>(e);
    std::vector<std::size_t> other_hashes(n);
    std::vector<std::uint32_t> other_entries(n);
    std::vector<std::size_t> start(kBuckets);
    for (int shift = 0; shift < std::numeric_limits<std::size_t>::digits; shift += kBits) {
        const auto digit = [shift](std::size_t h) { return (h >> shift) & (kBuckets - 1); };
        std::fill(start.begin(), start.end(), 0);
        for (std::size_t h : hashes) ++start[digit(h)];
        std::size_t before = 0;
        for (auto& s : start) before += std::exchange(s, before);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t to = start[digit(hashes[k])]++;
            other_hashes[to] = hashes[k];
            other_entries[to] = entries[k];
        }
        hashes.swap(other_hashes);
        entries.swap(other_entries);
    }
    return entries;
}

// An upper bound of the shingles of `texts`: one for each word, a word taking at least two bytes
// with the space after it.
std::size_t most_shingles(const std::vector<std::string_view>& texts) {
    std::size_t most = 0;
    for (const auto& t : texts) most += t.size() / 2 + 1;
    return most;
}

ShingleIndex index_shingles(const std::vector<std::string_view>& texts) {
    ShingleIndex ix;
    ix.set_start.reserve(texts.size() + 1);
    // Room for every shingle at once: memory reserved but never written costs nothing, while
    // growing the array would copy it and touch fresh pages each time.
    std::vector<std::size_t> hashes;  // each text's set, one after another
    hashes.reserve(most_shingles(texts));
    std::vector<std::size_t> word_hashes;
    for (const auto& t : texts) {
        ix.set_start.push_back(hashes.size());
        append_shingles(t, hashes, word_hashes);
    }
    ix.set_start.push_back(hashes.size());
    // The entries sorted by shingle, and by position (so by text) within one shingle: each run
    // is one group.
    const std::vector<std::uint32_t> order = sort_by_hash(hashes);
    const std::vector<std::size_t>& sorted = hashes;
    ix.group.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (k == 0 || sorted[k] != sorted[k - 1]) ix.group_start.push_back(k);
        ix.group[order[k]] = static_cast<std::uint32_t>(ix.group_start.size() - 1);
    }
    ix.group_start.push_back(order.size());
    return ix;
}

// Shingles shared by many stems ("which of the following") say nothing about duplication: a
// pair is reported only when its texts share an uncommon shingle, one held by 2 to kCommon texts.
constexpr std::size_t kCommon = 40;

bool is_uncommon(const ShingleIndex& ix, std::uint32_t g) {
    return ix.group_size(g) >= 2 && ix.group_size(g) <= kCommon;
}

// Prefix filtering. A reported pair (A, B) shares at least t*max(|A|, |B|) shingles (t the
// threshold), and at most |common(A)| of them are common, so it shares at least
// need(A) = t*|A| - |common(A)| uncommon shingles, and likewise need(B). Put every text's
// uncommon shingles in one global order (rarest first); two sets that share at least k elements
// share one among the first |U| - k + 1 of each. So each text takes part through its first
// |U(A)| - need(A) + 1 uncommon shingles only, its prefix, and only texts whose prefixes meet are
// compared in full. need() is rounded down: a Jaccard index that reaches the threshold only
// through rounding still has an overlap of at least floor(t*max(|A|, |B|)).
struct Prefixes {
    std::vector<std::uint32_t> groups;  // text i's prefix: groups[start[i], start[i + 1])
    std::vector<std::size_t> start;
    std::vector<std::uint32_t> holders;  // group g's texts with g in their prefix, in order
    std::vector<std::size_t> holders_start;
};

Prefixes prefixes_of(const ShingleIndex& ix, std::size_t n, double threshold) {
    Prefixes p;
    p.start.reserve(n + 1);
    p.start.push_back(0);
    std::vector<std::uint32_t> own;
    const auto rarer = [&](std::uint32_t x, std::uint32_t y) {
        return ix.group_size(x) != ix.group_size(y) ? ix.group_size(x) < ix.group_size(y) : x < y;
    };
    for (std::size_t a = 0; a < n; ++a) {
        own.clear();
        std::size_t common = 0;
        for (std::size_t e = ix.set_start[a]; e < ix.set_start[a + 1]; ++e) {
            if (is_uncommon(ix, ix.group[e]))
                own.push_back(ix.group[e]);
            else if (ix.group_size(ix.group[e]) > kCommon)
                ++common;
        }
        const double need_bound =
            std::floor(threshold * static_cast<double>(ix.set_size(a))) - static_cast<double>(common);
        // More than the text holds (a threshold above 1), or not a number: no pair can reach it,
        // and converting such a bound to a count would be undefined.
        const bool reachable = need_bound <= static_cast<double>(own.size());
        const std::size_t need = reachable && need_bound > 1.0 ? static_cast<std::size_t>(need_bound) : 1;
        if (reachable && need <= own.size()) {
            const auto length = static_cast<std::ptrdiff_t>(own.size() - need + 1);
            std::partial_sort(own.begin(), own.begin() + length, own.end(), rarer);
            p.groups.insert(p.groups.end(), own.begin(), own.begin() + length);
        }
        p.start.push_back(p.groups.size());
    }
    p.holders_start.assign(ix.group_start.size(), 0);
    for (std::uint32_t g : p.groups) ++p.holders_start[g + 1];
    for (std::size_t g = 1; g < p.holders_start.size(); ++g) p.holders_start[g] += p.holders_start[g - 1];
    p.holders.resize(p.groups.size());
    std::vector<std::size_t> fill(p.holders_start.begin(), p.holders_start.end() - 1);
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t k = p.start[a]; k < p.start[a + 1]; ++k)
            p.holders[fill[p.groups[k]]++] = static_cast<std::uint32_t>(a);
    return p;
}

// Whether text b's set is similar enough to text a's, marked by mark[g] == a for each of its
// shingles g, and shares an uncommon shingle with it. A pair that reaches the threshold shares
// at least floor(t*max(|A|, |B|)) shingles (see Prefixes), so the count stops once too many of
// b's shingles are missing from a's set.
bool similar_to_marked(const ShingleIndex& ix, std::size_t a, std::size_t b, const std::vector<std::size_t>& mark,
                       double threshold) {
    const std::size_t a_size = ix.set_size(a), b_size = ix.set_size(b);
    const double least = std::floor(threshold * static_cast<double>(std::max(a_size, b_size)));
    std::size_t may_miss = b_size;
    if (least > 0.0) may_miss = least >= static_cast<double>(b_size) ? 0 : b_size - static_cast<std::size_t>(least);
    std::size_t in_both = 0, missing = 0;
    bool shares_uncommon = false;
    for (std::size_t e = ix.set_start[b]; e < ix.set_start[b + 1]; ++e) {
        if (mark[ix.group[e]] != a) {
            if (++missing > may_miss) return false;
            continue;
        }
        ++in_both;
        shares_uncommon = shares_uncommon || is_uncommon(ix, ix.group[e]);
    }
    return shares_uncommon && jaccard_of_counts(in_both, a_size, b_size) >= threshold;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string>& texts,
                                                                 double threshold) {
    return near_duplicates(std::vector<std::string_view>(texts.begin(), texts.end()), threshold);
}

std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string_view>& texts,
                                                                 double threshold) {
    const ShingleIndex ix = index_shingles(texts);
    const std::size_t n = texts.size();
    const Prefixes p = prefixes_of(ix, n, threshold);
    // Each candidate's set is compared with text a's, marked by mark[g] == a for each of its shingles.
    std::vector<std::size_t> mark(ix.group_start.size(), n);
    std::vector<std::size_t> paired_with(n, n);  // the text each was last a candidate for
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::vector<std::size_t> similar;
    for (std::size_t a = 0; a < n; ++a) {
        if (p.start[a] == p.start[a + 1]) continue;
        similar.clear();
        for (std::size_t e = ix.set_start[a]; e < ix.set_start[a + 1]; ++e) mark[ix.group[e]] = a;
        for (std::size_t k = p.start[a]; k < p.start[a + 1]; ++k) {
            const std::uint32_t g = p.groups[k];
            const auto end = p.holders.begin() + static_cast<std::ptrdiff_t>(p.holders_start[g + 1]);
            // The holders are in order: the later texts follow the first after `a`.
            for (auto m = std::upper_bound(p.holders.begin() + static_cast<std::ptrdiff_t>(p.holders_start[g]), end,
                                           static_cast<std::uint32_t>(a));
                 m != end; ++m) {
                const std::size_t b = *m;
                if (paired_with[b] == a) continue;
                paired_with[b] = a;
                if (similar_to_marked(ix, a, b, mark, threshold)) similar.push_back(b);
            }
        }
        std::sort(similar.begin(), similar.end());
        for (std::size_t b : similar) out.emplace_back(a, b);
    }
    return out;
}

}  // namespace certdrill::decks
