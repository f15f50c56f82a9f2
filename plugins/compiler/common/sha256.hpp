// SHA-256 (FIPS 180-4), for content-addressed caches: the generated vmlinux.h is keyed by
// the hash of the BTF it came from.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace schedcp::compiler_common {

class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<std::uint8_t, 32> digest();  // finishes; the object is spent afterwards
    std::string hex();                      // digest() as 64 lower-case hex digits

  private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

}  // namespace schedcp::compiler_common
