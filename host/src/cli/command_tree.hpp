// The CLI's command tree (built from what plugins registered plus the built-ins),
// argv parsing against a command's spec, and generated help.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "schedcp/sdk/command.hpp"

namespace schedcp::host::cli {

// A usage error: exit code 2, with a message naming what was wrong.
class UsageError : public std::runtime_error {
  public:
    UsageError(std::string command, const std::string& message)
        : std::runtime_error(message), command_(std::move(command)) {}
    const std::string& command() const { return command_; }  // "schedcp-cli list"

  private:
    std::string command_;
};

struct Node {
    std::string word;
    const sdk::CommandSpec* spec = nullptr;  // leaf
    std::string group_summary;               // for groups without a spec
    std::map<std::string, std::unique_ptr<Node>> children;
};

class CommandTree {
  public:
    void add(const sdk::CommandSpec& spec);
    void set_group_summary(const std::vector<std::string>& path, std::string summary);
    const Node& root() const { return root_; }

  private:
    Node root_;
};

struct GlobalOptions {
    std::optional<std::string> config;
    bool json = false;
    bool help = false;
    bool version = false;
    std::vector<std::string> rest;  // from the first non-option word on
};

// Parses the options before the command word. Throws UsageError.
GlobalOptions parse_global(const std::vector<std::string>& args);

struct Resolved {
    const Node* node;               // the deepest node the words reached
    std::vector<std::string> path;  // the command words
    std::vector<std::string> rest;  // what follows them
};

// Walks command words down the tree. Throws UsageError for an unknown command.
Resolved resolve(const CommandTree& tree, const std::vector<std::string>& words);

struct Parsed {
    sdk::CommandInvocation invocation;
    bool json = false;
    bool help = false;
};

// Parses a leaf command's arguments against its spec. Throws UsageError.
Parsed parse_arguments(const sdk::CommandSpec& spec, const std::vector<std::string>& args,
                       const std::string& command_name);

std::string leaf_help(const sdk::CommandSpec& spec, const std::string& command_name);
std::string group_help(const Node& node, const std::string& command_name);
std::string top_help(const Node& root);

}  // namespace schedcp::host::cli
