#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "decks/near_duplicates.hpp"

using namespace certdrill::decks;

namespace {

// Word 3-shingles, compared as text: what near_duplicates computes through hashes.
std::set<std::string> shingle_set(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
        if (c == ' ') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    std::set<std::string> out;
    for (std::size_t i = 0; i + 2 < words.size(); ++i) out.insert(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]);
    return out;
}

double similarity(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::size_t common = 0;
    for (const auto& s : a) common += b.count(s);
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace

TEST_CASE("near_duplicates finds the same pairs as comparing every pair of texts") {
    // A small vocabulary makes many texts share shingles; the fixed prefix is a shingle shared by
    // more texts than count as uncommon, so both ways of working out the overlap are exercised.
    const std::vector<std::string> vocabulary = {"risk", "owner", "audit", "key", "asset", "control"};
    std::mt19937 rng(11);
    std::vector<std::string> texts;
    for (int i = 0; i < 300; ++i) {
        std::string t = i % 3 == 0 ? "which of the following" : "";
        for (int w = 0; w < 7; ++w) t += (t.empty() ? "" : " ") + vocabulary[rng() % vocabulary.size()];
        texts.push_back(t);
        if (i % 10 == 0) texts.push_back(t + " " + vocabulary[rng() % vocabulary.size()]);  // a near copy
    }
    for (double threshold : {0.8, 0.5}) {
        CAPTURE(threshold);
        std::vector<std::set<std::string>> sets;
        for (const auto& t : texts) sets.push_back(shingle_set(t));
        const auto found = near_duplicates(texts, threshold);
        // Every pair found is similar enough, in order, and each once.
        std::set<std::pair<std::size_t, std::size_t>> unique(found.begin(), found.end());
        CHECK(unique.size() == found.size());
        for (const auto& [a, b] : found) {
            CHECK(a < b);
            CHECK(similarity(sets[a], sets[b]) >= threshold);
        }
        // Every similar pair that shares an uncommon shingle is found: with this vocabulary, every
        // similar pair does.
        std::size_t expected = 0;
        for (std::size_t a = 0; a < texts.size(); ++a)
            for (std::size_t b = a + 1; b < texts.size(); ++b)
                if (similarity(sets[a], sets[b]) >= threshold) {
                    ++expected;
                    CHECK(unique.count({a, b}) == 1);
                }
        CHECK(found.size() == expected);
        CHECK(expected > 10);
    }
}
