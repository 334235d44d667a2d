#pragma once
// A fresh directory under the system temporary directory, removed with its contents when the
// test ends. Shared by every suite that needs files.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace certdrill::testing {

struct TempDir {
    std::filesystem::path path;

    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "certdrill-test-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        // A test may have made the directory read-only; take that back so it can be removed.
        std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // Writes a file in the directory and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& content) const {
        std::filesystem::path p = path / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
};

}  // namespace certdrill::testing
