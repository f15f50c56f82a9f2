#include "options.hpp"

#include <cstdlib>
#include <iostream>

#include "exit_codes.hpp"

namespace schedcp::loader {

namespace {

constexpr const char* kUsageText =
    "usage: schedcp-loader OBJ.bpf.o [options] [-- ARGS...]\n"
    "\n"
    "Loads a sched_ext scheduler object, attaches it, and keeps it loaded until SIGINT or\n"
    "SIGTERM, then detaches it and prints the exit info it recorded (UEI_RECORD).\n"
    "\n"
    "options:\n"
    "  --verify SECONDS       attach, confirm sched_ext reports it enabled, keep it SECONDS\n"
    "                         (1..600), detach, and print one JSON line with the result\n"
    "  --verifier-log FILE    when the kernel rejects a program, write the verifier's full log "
    "here\n"
    "  --sched-ext-root DIR   sched_ext's sysfs directory (default /sys/kernel/sched_ext)\n"
    "  --stdin-lifeline       detach and exit when stdin is closed (the parent went away)\n"
    "  -v, --verbose          show libbpf's debug messages\n"
    "  -h, --help             this text\n"
    "\n"
    "Nothing after -- is ever an option of the loader. A BPF-only scheduler has no command\n"
    "line, so ARGS after -- are refused: custom schedulers take no arguments.\n"
    "\n"
    "exit codes: 0 ok, 1 the scheduler failed (rejected, attach failed, ejected), 2 usage,\n"
    "            3 no sched_ext in this kernel, 4 another scheduler is loaded,\n"
    "            5 not permitted (needs root), 6 not a sched_ext scheduler object\n";

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "schedcp-loader: " << message << "\n\n" << kUsageText;
    std::exit(kUsage);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    auto value = [&](int& i, const std::string& name) -> std::string {
        if (i + 1 >= argc) usage_error(name + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            // What follows would be the scheduler's own arguments (the runner passes user
            // arguments only there), never ours; a BPF-only scheduler takes none.
            if (i + 1 < argc)
                usage_error("custom schedulers take no arguments (got '" +
                            std::string(argv[i + 1]) + "'" +
                            (argc - i - 2 > 0 ? " and " + std::to_string(argc - i - 2) + " more"
                                              : std::string()) +
                            " after --)");
            break;
        }
        if (a == "-h" || a == "--help") {
            std::cout << kUsageText;
            std::exit(kOk);
        } else if (a == "-v" || a == "--verbose") {
            o.verbose = true;
        } else if (a == "--verify") {
            std::string v = value(i, a);
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || n < 1 || n > 600)
                usage_error("--verify takes a whole number of seconds from 1 to 600, not '" + v +
                            "'");
            o.verify_seconds = static_cast<int>(n);
        } else if (a == "--verifier-log") {
            o.verifier_log = value(i, a);
        } else if (a == "--sched-ext-root") {
            o.sched_ext_root = value(i, a);
        } else if (a == "--stdin-lifeline") {
            o.stdin_lifeline = true;
        } else if (a.starts_with("-")) {
            usage_error("unknown option '" + a +
                        "' (schedcp-loader takes --verify, --verifier-log, --sched-ext-root, "
                        "--stdin-lifeline, -v, -h)");
        } else if (o.object.empty()) {
            o.object = a;
        } else {
            usage_error("unexpected argument '" + a + "': give one object file");
        }
    }
    if (o.object.empty()) usage_error("no object file given");
    return o;
}
}  // namespace schedcp::loader
