#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "decks/near_duplicates.hpp"

namespace test_near_duplicates {

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

namespace {

// The check as specified, on the texts of the shingles: words are runs of letters (compared
// without case), digits and non-ASCII bytes; a text of fewer than three words is one shingle of
// its own; a pair is reported when its Jaccard index reaches the threshold and the two texts
// share at least one shingle held by at most 40 texts (shingles held by more say nothing).
std::set<std::string> spec_shingles(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
        char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || static_cast<unsigned char>(l) >= 0x80) {
            word += l;
        } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
        }
    }
    std::set<std::string> out;
    if (words.size() < 3) {
        std::string all = "whole:";
        for (const auto& w : words) all += w + ' ';
        out.insert(all);
        return out;
    }
    for (std::size_t i = 0; i + 2 < words.size(); ++i) out.insert(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]);
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> spec_near_duplicates(const std::vector<std::string>& texts,
                                                                      double threshold) {
    std::vector<std::set<std::string>> sets;
    std::map<std::string, std::size_t> holders;
    for (const auto& t : texts) {
        sets.push_back(spec_shingles(t));
        for (const auto& s : sets.back()) ++holders[s];
    }
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t a = 0; a < texts.size(); ++a)
        for (std::size_t b = a + 1; b < texts.size(); ++b) {
            std::size_t common = 0;
            bool shares_uncommon = false;
            for (const auto& s : sets[a])
                if (sets[b].count(s)) {
                    ++common;
                    shares_uncommon = shares_uncommon || holders[s] <= 40;
                }
            const double jaccard = static_cast<double>(common) / static_cast<double>(sets[a].size() + sets[b].size() - common);
            if (shares_uncommon && jaccard >= threshold) out.emplace_back(a, b);
        }
    return out;
}

}  // namespace

TEST_CASE("near_duplicates reports exactly the pairs its specification gives, in order, on random texts") {
    // Texts from a tiny vocabulary with case, punctuation, non-ASCII words, short and empty texts
    // and near copies, so that shingles held by more than 40 texts, pairs that share only those,
    // pairs with some of each and pairs just below and above the threshold all occur.
    const std::vector<std::string> vocabulary = {"Risk", "owner", "audit,", "KEY", "asset", "contrôle", "7", "(item"};
    for (unsigned seed : {1u, 2u, 3u, 4u}) {
        std::mt19937 rng(seed);
        std::vector<std::string> texts;
        for (int i = 0; i < 260; ++i) {
            std::string t;
            if (i % 2 == 0) t = "Which of the following is";
            const int words = static_cast<int>(rng() % 9);
            for (int w = 0; w < words; ++w) t += (t.empty() ? "" : " ") + vocabulary[rng() % vocabulary.size()];
            texts.push_back(t);
            if (rng() % 6 == 0) texts.push_back(t + "? " + vocabulary[rng() % vocabulary.size()]);
            if (rng() % 9 == 0) texts.push_back("the " + t);
        }
        for (double threshold : {0.8, 0.6, 0.34}) {
            CAPTURE(seed);
            CAPTURE(threshold);
            const auto expected = spec_near_duplicates(texts, threshold);
            CHECK(near_duplicates(texts, threshold) == expected);
            CHECK(expected.size() > 20);
        }
    }
}

TEST_CASE("near_duplicates: two texts sharing only a shingle held by more than 40 texts are not reported") {
    std::vector<std::string> texts;
    for (int i = 0; i < 41; ++i) texts.push_back("which of the following " + std::to_string(i) + " x" + std::to_string(i));
    texts.push_back("which of the following");
    texts.push_back("which of the following");
    // The last two are identical, yet their shingles are held by 43 texts.
    CHECK(near_duplicates(texts, 0.8).empty());
    texts.resize(2);
    texts.push_back("Which OF the, following!");
    texts.push_back("which of the following");
    const std::vector<std::pair<std::size_t, std::size_t>> same = {{2, 3}};
    CHECK(near_duplicates(texts, 0.8) == same);
}

TEST_CASE("near_duplicates: a shingle held by 40 texts still pairs them, one held by 41 does not") {
    std::vector<std::string> texts(40, "alpha beta gamma");
    CHECK(near_duplicates(texts, 0.8).size() == 40 * 39 / 2);
    texts.push_back("alpha beta gamma");
    CHECK(near_duplicates(texts, 0.8).empty());
    // Two texts whose only shared shingle is held by exactly 40 texts are reported.
    std::vector<std::string> mixed;
    for (int i = 0; i < 38; ++i) mixed.push_back("alpha beta gamma delta " + std::to_string(i));
    mixed.push_back("alpha beta gamma");
    mixed.push_back("alpha beta gamma");
    const auto pairs = near_duplicates(mixed, 0.8);
    CHECK(std::find(pairs.begin(), pairs.end(), std::pair<std::size_t, std::size_t>{38, 39}) != pairs.end());
}

TEST_CASE("near_duplicates: a threshold no pair can reach reports nothing") {
    const std::vector<std::string> texts(5, "the owner accepts the residual risk");
    CHECK(near_duplicates(texts, 1.0).size() == 10);
    CHECK(near_duplicates(texts, 1.5).empty());
    CHECK(near_duplicates(texts, 1e30).empty());
    CHECK(near_duplicates(texts, std::numeric_limits<double>::infinity()).empty());
    CHECK(near_duplicates(texts, std::numeric_limits<double>::quiet_NaN()).empty());
}

}  // namespace test_near_duplicates
