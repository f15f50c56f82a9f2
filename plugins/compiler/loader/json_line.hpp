// A one-line JSON object writer for schedcp-loader's --verify result. The loader runs
// as root (often through sudo) and links nothing but libbpf, so it carries this rather
// than a JSON library. Keys are written in insertion order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedcp::loader {

class JsonLine {
  public:
    JsonLine& add(std::string_view key, std::string_view value);
    JsonLine& add(std::string_view key, const char* value) {
        return add(key, std::string_view(value));
    }
    JsonLine& add(std::string_view key, const std::string& value) {
        return add(key, std::string_view(value));
    }
    JsonLine& add(std::string_view key, bool value);
    JsonLine& add(std::string_view key, std::int64_t value);
    JsonLine& add(std::string_view key, int value) {
        return add(key, static_cast<std::int64_t>(value));
    }
    JsonLine& add_optional(std::string_view key, const std::optional<std::string>& value);
    JsonLine& add_null(std::string_view key);
    std::string str() const { return body_.empty() ? "{}" : body_ + "}"; }

  private:
    void key(std::string_view k);
    std::string body_;
};

// `s` as a JSON string literal (quotes included); invalid UTF-8 bytes become U+FFFD.
std::string json_quote(std::string_view s);

}  // namespace schedcp::loader
