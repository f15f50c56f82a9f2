// A stand-in for a sched_ext scheduler, for the runner's tests. Installed in a test's
// bin/ as a symlink named like a real scheduler (scx_simple, ...); it reads its
// behaviour from "<argv[0]>.conf" (key=value lines):
//   sysfs=DIR          fake /sys/kernel/sched_ext to update (state, root/ops, enable_seq)
//   ops=NAME           the ops name it "loads" (default: argv[0] without scx_)
//   lines=N            lines to print at start
//   enable_delay_ms=N  wait before "enabling"
//   never_enable=1     print but never report enabled
//   die_at_start=CODE  print an error and exit with CODE at once
//   exit_after_ms=N    exit by itself after N ms, with exit_code=CODE (default 0)
//   eject=REASON       ... as if the kernel had ejected it: append the kernel's lines to
//                      kmsg=PATH (/dev/kmsg's record format), then print "EXIT: REASON
//                      (eject_message)" on stderr, as scx schedulers do
//   leave_loaded=OPS   ... and leave sysfs as if another tool had loaded OPS meanwhile
//   ignore_sigint=1 / ignore_sigterm=1
//   pidfile=PATH       write its pid there
//   print_file=PATH    print that file's text at start, on stdout and on stderr
//   print_state=1      print what it inherited: "state: cwd=... umask=... fsize=... core=...
//                      as=... nofile=CUR/MAX" (RLIM_INFINITY as "inf")
// Like the real ones it unloads cleanly on SIGINT (and SIGTERM): state back to
// disabled, "EXIT: unregistered from user space", exit 0.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace {
volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

void write_file(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::trunc) << s << "\n";
}
}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> conf;
    std::ifstream in(std::string(argv[0]) + ".conf");
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq != std::string::npos) conf[line.substr(0, eq)] = line.substr(eq + 1);
    }
    auto num = [&](const char* k, long def) { return conf.count(k) ? std::stol(conf[k]) : def; };
    std::string name = fs::path(argv[0]).filename().string();
    std::string ops =
        conf.count("ops") ? conf["ops"] : (name.rfind("scx_", 0) == 0 ? name.substr(4) : name);
    fs::path sysfs = conf.count("sysfs") ? fs::path(conf["sysfs"]) : fs::path();

    if (conf.count("pidfile")) write_file(conf["pidfile"], std::to_string(getpid()));
    std::cout << "fake " << name << " pid " << getpid() << " args:";
    for (int i = 1; i < argc; ++i) std::cout << " [" << argv[i] << "]";
    std::cout << std::endl;
    if (conf.count("print_file")) {
        std::ifstream text(conf["print_file"]);
        for (std::string line; std::getline(text, line);) {
            std::cout << line << std::endl;
            std::cerr << line << std::endl;
        }
    }
    if (conf.count("print_state")) {
        auto limit = [](int which, bool max) {
            rlimit r{};
            getrlimit(which, &r);
            const rlim_t v = max ? r.rlim_max : r.rlim_cur;
            return v == RLIM_INFINITY ? std::string("inf") : std::to_string(v);
        };
        const mode_t mask = umask(0);
        umask(mask);
        char octal[8];
        std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mask));
        std::cout << "state: cwd=" << fs::current_path().string() << " umask=" << octal
                  << " fsize=" << limit(RLIMIT_FSIZE, false)
                  << " core=" << limit(RLIMIT_CORE, false) << " as=" << limit(RLIMIT_AS, false)
                  << " nofile=" << limit(RLIMIT_NOFILE, false) << "/" << limit(RLIMIT_NOFILE, true)
                  << std::endl;
    }
    if (conf.count("die_at_start")) {
        std::cerr << "libbpf: failed to attach struct_ops: Device or resource busy" << std::endl;
        return static_cast<int>(num("die_at_start", 1));
    }
    signal(SIGINT, conf.count("ignore_sigint") ? SIG_IGN : on_signal);
    signal(SIGTERM, conf.count("ignore_sigterm") ? SIG_IGN : on_signal);
    for (long i = 0; i < num("lines", 0); ++i) std::cout << "fake line " << i << std::endl;

    std::this_thread::sleep_for(std::chrono::milliseconds(num("enable_delay_ms", 0)));
    if (!sysfs.empty() && !conf.count("never_enable")) {
        fs::create_directories(sysfs / "root");
        write_file(sysfs / "root" / "ops", ops);
        long seq = 0;
        std::ifstream(sysfs / "enable_seq") >> seq;
        write_file(sysfs / "enable_seq", std::to_string(seq + 1));
        write_file(sysfs / "state", "enabled");
    }
    auto unload = [&] {
        if (!sysfs.empty()) {
            write_file(sysfs / "state", "disabled");
            std::error_code ec;
            fs::remove_all(sysfs / "root", ec);
        }
    };
    long exit_after = num("exit_after_ms", -1);
    auto start = std::chrono::steady_clock::now();
    while (!g_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (exit_after >= 0 &&
            std::chrono::steady_clock::now() - start > std::chrono::milliseconds(exit_after)) {
            unload();
            if (conf.count("leave_loaded")) {
                fs::create_directories(sysfs / "root");
                write_file(sysfs / "root" / "ops", conf["leave_loaded"]);
                write_file(sysfs / "state", "enabled");
            }
            if (conf.count("eject")) {
                if (conf.count("kmsg")) {
                    std::ofstream kmsg(conf["kmsg"], std::ios::app);
                    kmsg << "3,900,12345678,-;sched_ext: BPF scheduler \"" << ops << "\" disabled ("
                         << conf["eject"] << ")\n SUBSYSTEM=sched_ext\n"
                         << "3,901,12345679,-;sched_ext: " << ops << ": " << conf["eject_message"]
                         << "\n";
                }
                std::cerr << "EXIT: " << conf["eject"] << " (" << conf["eject_message"] << ")"
                          << std::endl;
                return static_cast<int>(num("exit_code", 0));
            }
            std::cout << "EXIT: done" << std::endl;
            return static_cast<int>(num("exit_code", 0));
        }
    }
    unload();
    std::cout << "EXIT: unregistered from user space" << std::endl;
    return 0;
}
