// Test support: run a real binary with pipes on stdin/stdout/stderr (argv only, no shell).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedcp::test {

class Subprocess {
  public:
    explicit Subprocess(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& env = {});
    ~Subprocess();
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    void write(const std::string& data);
    void write_line(const std::string& line) { write(line + "\n"); }
    void close_stdin();
    // One line of stdout (without the newline), or nullopt on timeout or EOF.
    std::optional<std::string> read_line(
        std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool stdout_eof() const { return out_eof_; }
    // Everything on stderr so far (non-blocking), plus what remains after exit.
    std::string stderr_text();
    void kill(int sig);
    // Exit status (WEXITSTATUS, or 128+signal), or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    pid_t pid() const { return pid_; }

  private:
    void drain_stderr();
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1, err_ = -1;
    std::string out_buf_, err_buf_;
    bool out_eof_ = false;
    std::optional<int> status_;
};

// A temporary directory removed (recursively) at destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    std::string write(const std::string& name, const std::string& content) const;

  private:
    std::string path_;
};

// Runs a command to completion: {exit status, stdout, stderr}.
struct RunResult {
    int status;
    std::string out;
    std::string err;
};
RunResult run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {}, const std::string& input = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

std::string bin(const std::string& name);  // <build>/bin/<name>

// A whole file's content ("" if it cannot be read).
std::string slurp(const std::string& path);

}  // namespace schedcp::test
