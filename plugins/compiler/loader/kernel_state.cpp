#include "kernel_state.hpp"

#include <fstream>

namespace schedcp::loader {

namespace {

std::optional<std::string> first_line(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string s;
    if (!in || !std::getline(in, s)) return std::nullopt;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

}  // namespace

KernelState read_kernel_state(const std::filesystem::path& root) {
    KernelState k;
    std::error_code ec;
    k.present = std::filesystem::is_directory(root, ec);
    if (!k.present) return k;
    k.state = first_line(root / "state").value_or("unknown");
    // root/ exists only while a scheduler is loaded.
    if (auto ops = first_line(root / "root" / "ops"); ops && !ops->empty()) k.ops = *ops;
    return k;
}

std::string KernelState::describe() const {
    if (!present) return "absent";
    return state + (ops ? " (ops '" + *ops + "')" : std::string());
}

}  // namespace schedcp::loader
