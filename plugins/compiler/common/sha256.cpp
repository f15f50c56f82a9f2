#include "sha256.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include <openssl/evp.h>
#include <openssl/opensslv.h>

namespace schedcp::compiler_common {

namespace {

static_assert(OPENSSL_VERSION_MAJOR >= 3, "libcrypto's file name below is OpenSSL 3's");

// libcrypto is opened the first time a hash is taken, not linked: it is 4.7 MB with some
// 21,000 relocations, and a server that starts without compiling anything (most starts)
// paid for loading it (0.7 ms and 127 page faults of its start-up). Only the six EVP
// calls below are used; their types come from OpenSSL's own header.
struct Crypto {
    decltype(&EVP_MD_CTX_new) ctx_new;
    decltype(&EVP_MD_CTX_free) ctx_free;
    decltype(&EVP_sha256) sha256;
    decltype(&EVP_DigestInit_ex) init;
    decltype(&EVP_DigestUpdate) update;
    decltype(&EVP_DigestFinal_ex) final;
};

template <class F>
void bind(void* lib, const char* name, F& to) {
    to = reinterpret_cast<F>(::dlsym(lib, name));
    if (!to) throw std::runtime_error(std::string("libcrypto: no symbol ") + name);
}

Crypto open_crypto() {
    const std::string file = "libcrypto.so." + std::to_string(OPENSSL_VERSION_MAJOR);
    // Never closed: the functions stay valid for the life of the process.
    void* lib = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* why = ::dlerror();
        throw std::runtime_error("libcrypto: cannot load " + file + ": " +
                                 (why ? why : "unknown error"));
    }
    Crypto c{};
    bind(lib, "EVP_MD_CTX_new", c.ctx_new);
    bind(lib, "EVP_MD_CTX_free", c.ctx_free);
    bind(lib, "EVP_sha256", c.sha256);
    bind(lib, "EVP_DigestInit_ex", c.init);
    bind(lib, "EVP_DigestUpdate", c.update);
    bind(lib, "EVP_DigestFinal_ex", c.final);
    return c;
}

// Loaded once (thread-safe); a failure is thrown to every caller that asks.
const Crypto& crypto() {
    static const Crypto c = open_crypto();
    return c;
}

}  // namespace

void Sha256::FreeContext::operator()(evp_md_ctx_st* ctx) const noexcept {
    crypto().ctx_free(ctx);  // only ever called with a context crypto() made
}

Sha256::Sha256() : ctx_(crypto().ctx_new()) {
    if (!ctx_ || crypto().init(ctx_.get(), crypto().sha256(), nullptr) != 1)
        throw std::runtime_error("libcrypto: cannot initialise SHA-256");
}

void Sha256::update(const void* data, std::size_t size) {
    if (size == 0) return;
    if (crypto().update(ctx_.get(), data, size) != 1)
        throw std::runtime_error("libcrypto: SHA-256 update failed");
}

std::array<std::uint8_t, 32> Sha256::digest() {
    std::array<std::uint8_t, 32> out{};
    unsigned int size = 0;
    if (crypto().final(ctx_.get(), out.data(), &size) != 1 || size != out.size())
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
