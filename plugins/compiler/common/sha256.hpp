// SHA-256, for content-addressed caches: the generated vmlinux.h is keyed by the hash of
// the BTF it came from. A thin wrapper over OpenSSL's libcrypto (EVP), which is
// maintained and tested, instead of a hand-written compression function. libcrypto is
// opened (dlopen) the first time a hash is taken, so that loading the plugin does not
// load it; a libcrypto that cannot be loaded is a std::runtime_error from the constructor.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

// OpenSSL's context type, declared here so the header does not pull in <openssl/evp.h>.
struct evp_md_ctx_st;

namespace schedcp::compiler_common {

class Sha256 {
  public:
    Sha256();  // throws std::runtime_error if libcrypto cannot set up SHA-256
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<std::uint8_t, 32> digest();  // finishes; the object is spent afterwards
    std::string hex();                      // digest() as 64 lower-case hex digits

  private:
    struct FreeContext {
        void operator()(evp_md_ctx_st* ctx) const noexcept;
    };
    std::unique_ptr<evp_md_ctx_st, FreeContext> ctx_;
};

}  // namespace schedcp::compiler_common
