#include "cli/output_check.hpp"

#include <cerrno>
#include <cstring>
#include <ostream>
#include <string>

#include "app/errors.hpp"
#include "cli/runtime.hpp"

namespace certdrill::cli {

OutputCheck::OutputCheck(std::ostream& out) : out_(out), target_(out.rdbuf()) {
    setp(buffer_, buffer_ + sizeof buffer_);
    out_.rdbuf(this);
}

OutputCheck::~OutputCheck() {
    drain();
    // rdbuf() clears the state: a failure already reported must not be lost for later writers.
    const auto state = out_.rdstate();
    out_.rdbuf(target_);
    out_.setstate(state);
}

OutputCheck::int_type OutputCheck::overflow(int_type c) {
    if (!drain()) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
}

int OutputCheck::sync() {
    if (!drain()) return -1;
    const int saved = errno;
    errno = 0;
    const bool ok = target_->pubsync() == 0;
    if (!ok) note_failure();
    if (ok) errno = saved;
    return ok ? 0 : -1;
}

// Passes the buffered output to the stream's own buffer; false when it took less than all.
bool OutputCheck::drain() {
    const std::streamsize pending = pptr() - pbase();
    if (pending == 0) return true;
    const int saved = errno;
    errno = 0;
    const bool ok = target_->sputn(pbase(), pending) == pending;
    setp(buffer_, buffer_ + sizeof buffer_);  // what was not taken is dropped, as a file buffer does
    if (!ok) note_failure();
    if (ok) errno = saved;
    return ok;
}

void OutputCheck::note_failure() {
    if (failed_) return;
    failed_ = true;
    error_ = errno;
}

int OutputCheck::finish(int status, std::ostream& err) {
    out_.flush();
    if (!failed_ && out_) return status;
    std::string problem = "cannot write to standard output";
    if (error_ != 0) problem += std::string(": ") + std::strerror(error_);
    print_error(err, problem, error_ == ENOSPC ? "free some space, or send the output elsewhere" : "");
    return status == app::exit_code(app::ExitStatus::Ok) ? app::exit_code(app::ExitStatus::DataError) : status;
}

}  // namespace certdrill::cli
