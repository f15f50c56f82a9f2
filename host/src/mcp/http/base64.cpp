#include "base64.hpp"

#include <cstdint>

namespace schedcp::host::mcp::http {

namespace {

constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

enum class Alphabet { standard, url };

int value_of(char c, Alphabet alphabet) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == (alphabet == Alphabet::url ? '-' : '+')) return 62;
    if (c == (alphabet == Alphabet::url ? '_' : '/')) return 63;
    return -1;
}

// The digits without padding.
std::optional<std::string> decode_digits(std::string_view text, Alphabet alphabet) {
    if (text.size() % 4 == 1) return std::nullopt;  // no length leaves one character over
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = value_of(c, alphabet);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    // The unused low bits of the last character must be zero (one encoding per value).
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kUrlAlphabet[(acc >> bits) & 0x3f];
        }
    }
    if (bits > 0) out += kUrlAlphabet[(acc << (6 - bits)) & 0x3f];
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    return decode_digits(text, Alphabet::url);
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    const std::string_view digits = text.substr(0, text.size() - padding);
    // Exactly the padding the digits need: 2 digits + "==", 3 + "=", 4k + nothing.
    if ((4 - digits.size() % 4) % 4 != padding) return std::nullopt;
    return decode_digits(digits, Alphabet::standard);
}

}  // namespace schedcp::host::mcp::http
