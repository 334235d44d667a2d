#include "decks/near_duplicates.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "core/text.hpp"

namespace certdrill::decks {

namespace {

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text::lower(s)) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
            word += c;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// Combines the hashes of three words in order (a different order gives a different shingle).
std::size_t shingle_hash(std::size_t a, std::size_t b, std::size_t c) {
    constexpr std::size_t kMul = 0x9E3779B97F4A7C15ull;
    std::size_t h = a;
    h = (h ^ (h >> 29)) * kMul + b;
    h = (h ^ (h >> 29)) * kMul + c;
    return h ^ (h >> 32);
}

// Hashes of 3-word shingles (or of the whole text when it has fewer words). Each word is hashed
// once; a shingle's hash combines its words' hashes, without building the shingle's text.
std::vector<std::size_t> shingles(const std::string& s) {
    auto words = words_of(s);
    std::vector<std::size_t> out;
    std::hash<std::string> h;
    if (words.size() < 3) {
        std::string all;
        for (const auto& w : words) all += w + ' ';
        out.push_back(h(all));
        return out;
    }
    std::vector<std::size_t> word_hashes;
    word_hashes.reserve(words.size());
    for (const auto& w : words) word_hashes.push_back(h(w));
    out.reserve(words.size() - 2);
    for (std::size_t i = 0; i + 2 < words.size(); ++i)
        out.push_back(shingle_hash(word_hashes[i], word_hashes[i + 1], word_hashes[i + 2]));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double jaccard_of_counts(std::size_t common, std::size_t a_size, std::size_t b_size) {
    const std::size_t total = a_size + b_size - common;
    return total == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(total);
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string>& texts,
                                                                 double threshold) {
    std::vector<std::vector<std::size_t>> sets;
    sets.reserve(texts.size());
    std::unordered_map<std::size_t, std::vector<std::size_t>> index;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        sets.push_back(shingles(texts[i]));
        for (std::size_t s : sets.back()) index[s].push_back(i);
    }
    // Shingles shared by many stems ("which of the following") say nothing about duplication.
    constexpr std::size_t kCommon = 40;
    // For each text, the later texts sharing one of its uncommon shingles, each once, in order,
    // with how many of those shingles they share. The sets hold each shingle once, so that count
    // plus the text's common shingles found in the other set is the whole intersection, and the
    // Jaccard index follows without merging the two sets.
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::vector<std::size_t> last_paired(texts.size(), texts.size());
    std::vector<std::size_t> shared(texts.size(), 0);
    std::vector<std::size_t> later, common;
    for (std::size_t a = 0; a < texts.size(); ++a) {
        later.clear();
        common.clear();
        for (std::size_t s : sets[a]) {
            const auto& members = index.at(s);
            if (members.size() > kCommon) common.push_back(s);
            if (members.size() < 2 || members.size() > kCommon) continue;
            for (std::size_t b : members) {
                if (b <= a) continue;
                if (last_paired[b] != a) {
                    last_paired[b] = a;
                    shared[b] = 0;
                    later.push_back(b);
                }
                ++shared[b];
            }
        }
        std::sort(later.begin(), later.end());
        for (std::size_t b : later) {
            std::size_t in_both = shared[b];
            for (std::size_t s : common) in_both += std::binary_search(sets[b].begin(), sets[b].end(), s) ? 1 : 0;
            if (jaccard_of_counts(in_both, sets[a].size(), sets[b].size()) >= threshold) out.emplace_back(a, b);
        }
    }
    return out;
}

}  // namespace certdrill::decks
