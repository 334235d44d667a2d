#pragma once
// What reading and writing Anki packages share (anki_package.cpp reads, anki_package_write.cpp
// writes): a private temporary directory, minizip's error texts and its file functions. Internal
// to the store layer.
#include <minizip/ioapi.h>
#include <minizip/unzip.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "store/anki_package.hpp"

namespace certdrill::store::detail {

namespace fs = std::filesystem;

// A private temporary directory, removed with its contents.
class TempDirectory {
public:
    TempDirectory() {
        std::string pattern = (fs::temp_directory_path() / "certdrill-apkg-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw AnkiPackageError("cannot create a temporary directory");
        path_ = pattern;
    }
    ~TempDirectory() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// minizip reports a failure as a code (its own, or zlib's); errno tells an I/O failure's cause.
inline std::string zip_error_text(int code, int io_errno) {
    switch (code) {
        case UNZ_CRCERROR: return "CRC error (the data does not match its checksum)";
        case Z_DATA_ERROR: return "the compressed data is invalid";
        case Z_BUF_ERROR: return "the compressed data ends early";
        case Z_MEM_ERROR: return "out of memory";
        case UNZ_BADZIPFILE: return "a zip header is invalid";
        case UNZ_ERRNO:
            return io_errno != 0 ? std::generic_category().message(io_errno) : "the file ends early";
        default: return "zip error " + std::to_string(code);
    }
}

// minizip's file functions with their open replaced: minizip tells only that an open failed,
// this keeps errno for the message, and creates a new package exclusively (as open's O_EXCL),
// never through an existing file or symbolic link. The handle given these must not outlive them.
class ZipFiles {
public:
    ZipFiles() {
        fill_fopen64_filefunc(&functions_);
        functions_.zopen64_file = &open;
        functions_.opaque = this;
    }
    ZipFiles(const ZipFiles&) = delete;
    ZipFiles& operator=(const ZipFiles&) = delete;
    zlib_filefunc64_def* functions() { return &functions_; }
    int open_errno() const { return open_errno_; }

private:
    static voidpf ZCALLBACK open(voidpf opaque, const void* filename, int mode) {
        auto* self = static_cast<ZipFiles*>(opaque);
        const bool create = (mode & ZLIB_FILEFUNC_MODE_CREATE) != 0;
        FILE* file = nullptr;
        if (create || (mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) == ZLIB_FILEFUNC_MODE_READ)
            file = std::fopen(static_cast<const char*>(filename), create ? "wbx" : "rb");
        else
            errno = EINVAL;  // appending to a zip: never done here
        if (!file) self->open_errno_ = errno;
        return file;
    }

    zlib_filefunc64_def functions_{};
    int open_errno_ = 0;
};

}  // namespace certdrill::store::detail
