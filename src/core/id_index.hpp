#pragma once
// Values by id in one flat table, for the look-ups a start makes by card id (50,000 and more at a
// time: joining the cards with their stored state, handing each card its answers, the
// planner's entries). A node-based map costs a few cache misses per look-up there, and comparing
// with the library's own strings, each in a block of its own, one more: this table keeps a copy of
// the ids side by side (about 1 MB at 50,000 cards), so a look-up touches a slot, an entry and
// the copy of its id.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certdrill {

template <class Value>
class IdIndex {
public:
    // Room for n ids of about `id_size` bytes each.
    void reserve(std::size_t n, std::size_t id_size = 16) {
        entries_.reserve(n);
        ids_.reserve(n * id_size);
        std::size_t wanted = 16;
        while (wanted < 2 * n) wanted *= 2;
        if (wanted > slots_.size()) rehash(wanted);
    }

    // Adds `id` unless it is already there (the first value then stays), as map::emplace does.
    bool emplace(std::string_view id, Value value) {
        auto [held, added] = place(id);
        if (added) *held = std::move(value);
        return added;
    }

    // Adds `id`, or gives it `value` when it is already there (the last value stays), as
    // map::operator[] does.
    void assign(std::string_view id, Value value) { *place(id).first = std::move(value); }

    const Value* find(std::string_view id) const {
        if (slots_.empty()) return nullptr;
        const std::uint64_t hash = hash_of(id);
        for (std::size_t slot = hash & mask(); slots_[slot] != 0; slot = (slot + 1) & mask()) {
            if (tag(slots_[slot]) != tag(hash)) continue;
            const auto& entry = entries_[position(slots_[slot])];
            if (id_of(entry) == id) return &entry.value;
        }
        return nullptr;
    }
    bool contains(std::string_view id) const { return find(id) != nullptr; }
    std::size_t size() const { return entries_.size(); }

private:
    // The value held for `id`, added (value-initialized) when missing; true when added.
    std::pair<Value*, bool> place(std::string_view id) {
        if (2 * (entries_.size() + 1) > slots_.size()) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
        const std::uint64_t hash = hash_of(id);
        std::size_t slot = hash & mask();
        for (; slots_[slot] != 0; slot = (slot + 1) & mask()) {
            if (tag(slots_[slot]) != tag(hash)) continue;
            auto& entry = entries_[position(slots_[slot])];
            if (id_of(entry) == id) return {&entry.value, false};
        }
        entries_.push_back(Entry{static_cast<std::uint32_t>(ids_.size()), static_cast<std::uint32_t>(id.size()), Value{}});
        ids_.append(id);
        slots_[slot] = tag(hash) | entries_.size();
        return {&entries_.back().value, true};
    }

    static std::uint64_t hash_of(std::string_view id) { return std::hash<std::string_view>{}(id); }
    // A slot holds the upper 32 bits of its id's hash and, below them, one more than the
    // position of its entry (0: an empty slot). Ids whose tags differ are never compared.
    static constexpr std::uint64_t tag(std::uint64_t bits) { return bits & 0xffffffff00000000ULL; }
    static constexpr std::size_t position(std::uint64_t slot) { return (slot & 0xffffffffULL) - 1; }
    std::size_t mask() const { return slots_.size() - 1; }

    // Open addressing in a power-of-two table kept at most half full.
    void rehash(std::size_t size) {
        slots_.assign(size, 0);
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            const std::uint64_t hash = hash_of(id_of(entries_[i]));
            std::size_t slot = hash & mask();
            while (slots_[slot] != 0) slot = (slot + 1) & mask();
            slots_[slot] = tag(hash) | (i + 1);
        }
    }

    struct Entry {
        std::uint32_t id_at;  // in ids_
        std::uint32_t id_size;
        Value value;
    };
    std::string_view id_of(const Entry& e) const { return std::string_view(ids_).substr(e.id_at, e.id_size); }

    std::vector<Entry> entries_;
    std::string ids_;  // every id, one after the other
    std::vector<std::uint64_t> slots_;
};

}  // namespace certdrill
