#include "sha256.hpp"

#include <stdexcept>

#include <openssl/evp.h>

namespace schedcp::compiler_common {

void Sha256::FreeContext::operator()(evp_md_ctx_st* ctx) const noexcept {
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("libcrypto: cannot initialise SHA-256");
}

void Sha256::update(const void* data, std::size_t size) {
    if (size == 0) return;
    if (EVP_DigestUpdate(ctx_.get(), data, size) != 1)
        throw std::runtime_error("libcrypto: SHA-256 update failed");
}

std::array<std::uint8_t, 32> Sha256::digest() {
    std::array<std::uint8_t, 32> out{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &size) != 1 || size != out.size())
        throw std::runtime_error("libcrypto: SHA-256 final failed");
    return out;
}

std::string Sha256::hex() {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    s.reserve(64);
    for (std::uint8_t b : digest()) {
        s += kDigits[b >> 4];
        s += kDigits[b & 0xf];
    }
    return s;
}

}  // namespace schedcp::compiler_common
