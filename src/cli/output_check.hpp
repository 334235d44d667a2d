#pragma once
// Standard output checked once, at the command-line boundary: a command writes its report to
// Io::out as it goes, and whether all of it reached the file, pipe or terminal is only known
// after a flush. The check is here rather than in each command.
#include <iosfwd>
#include <streambuf>

namespace certdrill::cli {

// While it lives, the stream's output passes through a buffer of its own that notes why the
// first write into the stream's own buffer failed (errno is fresh only then: later code, closing
// the database for one, may change it). Restores the stream's buffer when destroyed.
class OutputCheck : private std::streambuf {
public:
    explicit OutputCheck(std::ostream& out);
    ~OutputCheck() override;
    OutputCheck(const OutputCheck&) = delete;
    OutputCheck& operator=(const OutputCheck&) = delete;

    // Flushes the output. When any of it could not be written, says so on `err` and returns the
    // data error status unless the command already failed with a status of its own.
    int finish(int status, std::ostream& err);

private:
    int_type overflow(int_type c) override;
    int sync() override;
    bool drain();
    void note_failure();

    std::ostream& out_;
    std::streambuf* target_;
    bool failed_ = false;
    int error_ = 0;
    char buffer_[8192];
};

}  // namespace certdrill::cli
