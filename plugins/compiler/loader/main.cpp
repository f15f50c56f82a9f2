// schedcp-loader: loads and attaches any sched_ext scheduler object (a .bpf.o with a
// sched_ext_ops struct_ops map), the way every custom scheduler schedcp compiles is run.
//
//   schedcp-loader OBJ.bpf.o [-v]                  run until SIGINT/SIGTERM, then detach
//   schedcp-loader OBJ.bpf.o --verify SECONDS      attach, confirm, hold, detach, one JSON line
//
// It prints sched_ext's state changes and, when the scheduler ends, the exit info the
// scheduler recorded with UEI_RECORD (kind, reason, message). Exit codes: exit_codes.hpp.
// This file: the order of the steps, and the JSON line's error fields.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "bpf_scheduler.hpp"
#include "json_line.hpp"
#include "modes.hpp"
#include "options.hpp"
#include "verifier_log.hpp"

namespace schedcp::loader {

namespace {

// A failed step: in the --verify JSON line (with the verifier's explanation and the
// file holding its whole log), or on stderr.
void report_failure(const LoaderError& e, const Options& o, const BpfScheduler& s, JsonLine& j) {
    if (!o.verify_seconds) {
        if (s.verifier_log().empty()) return;
        std::string file = save_verifier_log(o, s);
        auto trimmed = compiler_common::trim_verifier_log(s.verifier_log());
        std::cerr << "-- verifier log (last " << (trimmed.total_lines - trimmed.omitted_lines)
                  << " of " << trimmed.total_lines << " lines"
                  << (file.empty() ? "" : "; all in " + file) << ") --\n"
                  << trimmed.text << "-- end of verifier log --\n";
        return;
    }
    j.add("verified", false).add("stage", e.stage).add("error", e.what());
    if (e.code == kNoSchedExt) j.add("no_sched_ext", true);
    if (!s.failed_program().empty()) j.add("program", s.failed_program());
    if (!s.verifier_log().empty()) {
        auto trimmed = compiler_common::trim_verifier_log(s.verifier_log());
        j.add("verifier_log", trimmed.text);
        j.add("verifier_log_lines", static_cast<std::int64_t>(trimmed.total_lines));
        std::string file = save_verifier_log(o, s);
        if (!file.empty()) j.add("verifier_log_file", file);
    }
    std::string messages = BpfScheduler::libbpf_messages();
    if (!messages.empty())
        j.add("libbpf",
              messages.size() > 2000 ? "..." + messages.substr(messages.size() - 2000) : messages);
}

}  // namespace

int main_impl(int argc, char** argv) {
    Options o = parse_options(argc, argv);
    install_signal_handlers();
    BpfScheduler::capture_libbpf_output(o.verbose);
    BpfScheduler s(o.object);
    JsonLine j;
    if (o.verify_seconds) j.add("seconds", *o.verify_seconds);
    int code;
    try {
        struct stat st {};
        if (::stat(o.object.c_str(), &st) != 0)
            throw LoaderError(kBadObject, "open", o.object + ": " + std::strerror(errno));
        if (!S_ISREG(st.st_mode))
            throw LoaderError(kBadObject, "open", o.object + " is not a regular file");
        s.open();
        check_kernel(o);
        say("loading " + o.object + " (ops '" + s.ops_name() + "')");
        code = o.verify_seconds ? verify(o, s, j) : run(o, s);
    } catch (const LoaderError& e) {
        say(e.what());
        code = e.code;
        report_failure(e, o, s, j);
    }
    if (o.verify_seconds) {
        if (!s.ops_name().empty()) j.add("ops", s.ops_name());
        std::cout << j.str() << std::endl;
    }
    return code;
}

}  // namespace schedcp::loader

int main(int argc, char** argv) {
    return schedcp::loader::main_impl(argc, argv);
}
