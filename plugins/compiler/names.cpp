#include "names.hpp"

#include <cctype>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

void check_name(std::string_view name) {
    std::string shown = "'" + sdk::text::sanitize(name, 80) + "'";
    if (name.empty()) throw sdk::InvalidArgument("the name is empty; " + std::string(kNameRule));
    if (name.find('/') != std::string_view::npos || name.find("..") != std::string_view::npos ||
        name.find('\\') != std::string_view::npos)
        throw sdk::InvalidArgument("the name " + shown + " looks like a path; " + kNameRule);
    if (name.size() > kMaxNameLength)
        throw sdk::InvalidArgument("the name is " + std::to_string(name.size()) +
                                   " characters long, more than 48; " + kNameRule);
    if (!(name[0] >= 'a' && name[0] <= 'z'))
        throw sdk::InvalidArgument("the name " + shown +
                                   " does not start with a lowercase letter; " + kNameRule);
    for (std::size_t i = 0; i < name.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(name[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') continue;
        std::string what = std::isupper(c)   ? "an uppercase letter"
                           : c == '-'        ? "'-'"
                           : c == '.'        ? "'.'"
                           : c == ' '        ? "a space"
                           : std::isprint(c) ? "'" + std::string(1, static_cast<char>(c)) + "'"
                                             : "a non-ASCII or control character";
        throw sdk::InvalidArgument("the name " + shown + " has " + what + " at position " +
                                   std::to_string(i + 1) + "; " + kNameRule);
    }
}

std::string name_from_file(std::string_view file) {
    if (auto slash = file.rfind('/'); slash != std::string_view::npos)
        file.remove_prefix(slash + 1);
    for (std::string_view ext : {".bpf.c", ".c"})
        if (file.ends_with(ext)) {
            file.remove_suffix(ext.size());
            break;
        }
    std::string name;
    for (unsigned char c : file) {
        if (std::isalnum(c))
            name += static_cast<char>(std::tolower(c));
        else if (!name.empty() && name.back() != '_')
            name += '_';
    }
    while (!name.empty() && name.back() == '_') name.pop_back();
    if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
    if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return "";
    return name;
}

}  // namespace schedcp::plugins::compiler
