#include "scx_service_config.hpp"

#include "foreign_config_file.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::runner {

namespace {

bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool line_end(char c) {
    return c == '\n' || c == '\r';
}

bool valid_name(std::string_view key) {
    if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
    for (char c : key)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

// One pass over the text, in the states of systemd's own parser (env-file.c).
class EnvironmentParser {
  public:
    EnvironmentParser(std::string_view text, const std::filesystem::path& file)
        : text_(text), file_(file) {}

    std::map<std::string, EnvironmentValue> run() {
        while (skip_blanks_and_comments()) assignment();
        return std::move(values_);
    }

  private:
    [[noreturn]] void fail(std::size_t line, const std::string& what) const {
        throw sdk::InvalidArgument(at_line(file_, line, what));
    }
    bool more() const { return pos_ < text_.size(); }
    char take() {
        const char c = text_[pos_++];
        if (c == '\n') ++line_;
        return c;
    }

    // Up to the next key; false at the end.
    bool skip_blanks_and_comments() {
        while (more()) {
            const char c = text_[pos_];
            if (blank(c)) {
                take();
            } else if (c == '#' || c == ';') {
                // A backslash in a comment takes the next character with it, a newline too
                // (systemd's COMMENT_ESCAPE).
                while (more()) {
                    const char d = take();
                    if (d == '\\' && more())
                        take();
                    else if (line_end(d))
                        break;
                }
            } else {
                return true;
            }
        }
        return false;
    }

    void assignment() {
        const std::size_t line = line_;
        std::string key;
        while (more() && text_[pos_] != '=' && !line_end(text_[pos_])) key += take();
        while (!key.empty() && blank(key.back())) key.pop_back();
        if (!more() || text_[pos_] != '=')
            fail(line, "'" + sdk::text::sanitize(key, 60) +
                           "' is not an assignment KEY=VALUE (systemd would ignore the line)");
        take();  // '='
        if (!valid_name(key))
            fail(line, "'" + sdk::text::sanitize(key, 60) +
                           "' is not a variable name [A-Za-z_][A-Za-z0-9_]* (systemd ignores "
                           "the line, so scx.service would not see it" +
                           (key.starts_with("export ") ? std::string("; drop 'export'") : "") +
                           ")");
        values_[key] = EnvironmentValue{.value = value(line), .line = line};
    }

    std::string value(std::size_t line) {
        std::string v;
        std::size_t kept = 0;  // v's length up to its last character that is not a blank
        // Leading blanks (not newlines) are dropped; quotes open only where a value starts
        // or right after a closing one (systemd's PRE_VALUE).
        bool pre_value = true;
        while (more()) {
            const char c = text_[pos_];
            if (line_end(c)) {
                take();
                break;
            }
            if (pre_value && (c == ' ' || c == '\t')) {
                take();
                continue;
            }
            if (pre_value && (c == '\'' || c == '"')) {
                quoted(v, take(), line);
                kept = v.size();
                continue;
            }
            pre_value = false;
            take();
            if (c == '\\') {
                if (!more()) break;
                const char next = take();
                if (!line_end(next)) v += next;  // a backslash-newline continues the line
                kept = v.size();
                continue;
            }
            v += c;
            if (!blank(c)) kept = v.size();
        }
        v.resize(kept);
        return v;
    }

    void quoted(std::string& v, char quote, std::size_t line) {
        const std::size_t opened = line_;
        while (more()) {
            const char c = take();
            if (c == quote) return;
            if (quote == '"' && c == '\\' && more()) {
                const char next = take();
                if (next == '"' || next == '\\' || next == '`' || next == '$')
                    v += next;
                else if (next != '\n')
                    v += std::string{'\\', next};
                continue;
            }
            v += c;
        }
        (void)line;
        fail(opened, std::string("a value opened with ") + quote + " is never closed");
    }

    std::string_view text_;
    const std::filesystem::path& file_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::map<std::string, EnvironmentValue> values_;
};

}  // namespace

std::map<std::string, EnvironmentValue> parse_environment_file(std::string_view text,
                                                               const std::filesystem::path& file) {
    return EnvironmentParser(text, file).run();
}

std::vector<std::string> split_words(std::string_view value, const std::filesystem::path& file,
                                     std::size_t line, std::string_view key) {
    std::vector<std::string> words;
    std::string word;
    const auto flush = [&] {
        if (word.empty()) return;
        if (word.find_first_of("*?[") != std::string::npos)
            throw sdk::InvalidArgument(at_line(
                file, line,
                std::string(key) + ": '" + sdk::text::sanitize(word, 60) +
                    "' has * ? or [: scx.service's bash would expand it as a file pattern"));
        words.push_back(std::move(word));
        word.clear();
    };
    for (char c : value) {
        if (c == ' ' || c == '\t' || c == '\n')
            flush();
        else
            word += c;
    }
    flush();
    return words;
}

ScxServiceConfig parse_scx_service_config(std::string_view text,
                                          const std::filesystem::path& file) {
    const auto values = parse_environment_file(text, file);
    ScxServiceConfig config{.file = file};
    if (auto it = values.find("SCX_SCHEDULER"); it != values.end()) {
        const auto words = split_words(it->second.value, file, it->second.line, "SCX_SCHEDULER");
        if (words.size() > 1)
            throw sdk::InvalidArgument(
                at_line(file, it->second.line,
                        "SCX_SCHEDULER holds " + std::to_string(words.size()) +
                            " words; it names one scheduler (its flags go in SCX_FLAGS)"));
        if (!words.empty()) {
            // scx.service execs it as given: a path runs that file; the catalog knows it by
            // its file name.
            config.scheduler = std::filesystem::path(words[0]).filename().string();
            config.scheduler_line = it->second.line;
        }
    }
    if (auto it = values.find("SCX_FLAGS"); it != values.end()) {
        config.flags = split_words(it->second.value, file, it->second.line, "SCX_FLAGS");
        config.flags_line = it->second.line;
    }
    return config;
}

std::optional<ScxServiceConfig> load_scx_service_config(const std::filesystem::path& file) {
    auto text = read_foreign_config(file);
    if (!text) return std::nullopt;
    return parse_scx_service_config(*text, file);
}

}  // namespace schedcp::plugins::runner
