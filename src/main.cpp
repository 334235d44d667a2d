#include <unistd.h>

#include <iostream>

#include "cli/cli.hpp"
#include "store/paths.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    certdrill::cli::Io io{std::cin, std::cout, std::cerr, isatty(0) && isatty(1), isatty(2) != 0, true};
    return certdrill::cli::run(argc, argv, certdrill::store::process_env(), io);
}
