#include "decks/near_duplicates.hpp"

#include <algorithm>
#include <functional>
#include <set>
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

// Hashes of 3-word shingles (or of the whole text when it has fewer words).
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
    for (std::size_t i = 0; i + 2 < words.size(); ++i)
        out.push_back(h(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double jaccard(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    std::size_t common = 0, i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j])
            ++common, ++i, ++j;
        else if (a[i] < b[j])
            ++i;
        else
            ++j;
    }
    std::size_t total = a.size() + b.size() - common;
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
    std::set<std::pair<std::size_t, std::size_t>> candidates;
    for (const auto& [_, members] : index) {
        if (members.size() < 2 || members.size() > kCommon) continue;
        for (std::size_t a = 0; a < members.size(); ++a)
            for (std::size_t b = a + 1; b < members.size(); ++b) candidates.emplace(members[a], members[b]);
    }
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto& [a, b] : candidates)
        if (jaccard(sets[a], sets[b]) >= threshold) out.emplace_back(a, b);
    return out;
}

}  // namespace certdrill::decks
