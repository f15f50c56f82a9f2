#include "jwt_verifier.hpp"

#include <optional>
#include <stdexcept>

#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <boost/json/parse.hpp>

#include "base64.hpp"
#include "setting_files.hpp"
#include "token_file.hpp"

namespace schedcp::host::mcp::http {

namespace bj = boost::json;

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const char* name_of(JwsAlgorithm a) {
    switch (a) {
        case JwsAlgorithm::rs256:
            return "RS256";
        case JwsAlgorithm::es256:
            return "ES256";
        case JwsAlgorithm::eddsa:
            return "EdDSA";
    }
    return "?";
}

std::optional<JwsAlgorithm> algorithm_named(std::string_view n) {
    if (n == "RS256") return JwsAlgorithm::rs256;
    if (n == "ES256") return JwsAlgorithm::es256;
    if (n == "EdDSA") return JwsAlgorithm::eddsa;
    return std::nullopt;
}

const bj::string* string_member(const bj::object& o, std::string_view key) {
    const bj::value* v = o.if_contains(key);
    return v && v->is_string() ? &v->get_string() : nullptr;
}

// A base64url member decoded, or a runtime_error naming it.
std::string bytes_member(const bj::object& o, std::string_view key, const std::string& where) {
    const bj::string* s = string_member(o, key);
    if (!s) throw std::runtime_error(where + ": no \"" + std::string(key) + "\"");
    auto d = base64url_decode(*s);
    if (!d || d->empty())
        throw std::runtime_error(where + ": \"" + std::string(key) + "\" is not base64url");
    return *d;
}

Pkey build_key(const char* type, OSSL_PARAM_BLD* bld, const std::string& where) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY* key = nullptr;
    const bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
                    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    if (!ok) throw std::runtime_error(where + ": libcrypto refuses the key");
    return Pkey(key);
}

Pkey rsa_key(const bj::object& jwk, const std::string& where) {
    const std::string n = bytes_member(jwk, "n", where), e = bytes_member(jwk, "e", where);
    if (n.size() * 8 < 2048)
        throw std::runtime_error(where + ": RSA keys under 2048 bits are refused");
    BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), n.size(), nullptr);
    BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), e.size(), nullptr);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    const bool ok = bn_n && bn_e && bld &&
                    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
                    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1;
    Pkey key;
    if (ok) key = build_key("RSA", bld, where);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    if (!key) throw std::runtime_error(where + ": libcrypto refuses the RSA key");
    return key;
}

Pkey ec_key(const bj::object& jwk, const std::string& where) {
    const bj::string* crv = string_member(jwk, "crv");
    if (!crv || *crv != "P-256")
        throw std::runtime_error(where + ": EC keys must be on crv P-256 (ES256)");
    const std::string x = bytes_member(jwk, "x", where), y = bytes_member(jwk, "y", where);
    if (x.size() != 32 || y.size() != 32)
        throw std::runtime_error(where + ": a P-256 key's x and y are 32 bytes each");
    const std::string point = std::string(1, '\x04') + x + y;  // uncompressed
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    Pkey key;
    if (bld &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) == 1)
        key = build_key("EC", bld, where);
    OSSL_PARAM_BLD_free(bld);
    if (!key) throw std::runtime_error(where + ": libcrypto refuses the EC key");
    return key;
}

Pkey okp_key(const bj::object& jwk, const std::string& where) {
    const bj::string* crv = string_member(jwk, "crv");
    if (!crv || *crv != "Ed25519")
        throw std::runtime_error(where + ": OKP keys must be on crv Ed25519 (EdDSA)");
    const std::string x = bytes_member(jwk, "x", where);
    if (x.size() != 32) throw std::runtime_error(where + ": an Ed25519 key's x is 32 bytes");
    EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
    if (!key) throw std::runtime_error(where + ": libcrypto refuses the Ed25519 key");
    return Pkey(key);
}

// JWS ES256 signatures are r || s (32 bytes each); libcrypto verifies DER.
std::optional<std::string> es256_to_der(std::string_view raw) {
    if (raw.size() != 64) return std::nullopt;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return std::nullopt;
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (len <= 0) return std::nullopt;
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

std::optional<bj::object> json_object(std::string_view text) {
    boost::system::error_code ec;
    bj::value v = bj::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.get_object());
}

std::optional<long long> numeric_date(const bj::object& claims, std::string_view key) {
    const bj::value* v = claims.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<long long>(v->get_uint64());
    if (v->is_double()) return static_cast<long long>(v->get_double());
    return std::nullopt;
}

}  // namespace

struct JwtVerifier::Key {
    std::string kid;  // empty: none
    JwsAlgorithm alg;
    Pkey pkey;
};

JwtVerifier::JwtVerifier(std::vector<Key> keys, JwtPolicy policy)
    : keys_(std::move(keys)), policy_(std::move(policy)) {}
JwtVerifier::~JwtVerifier() = default;
JwtVerifier::JwtVerifier(JwtVerifier&&) noexcept = default;
JwtVerifier& JwtVerifier::operator=(JwtVerifier&&) noexcept = default;

std::size_t JwtVerifier::key_count() const {
    return keys_.size();
}

JwtVerifier JwtVerifier::from_jwks(std::string_view jwks_json, const std::string& source,
                                   JwtPolicy policy) {
    auto doc = json_object(jwks_json);
    const bj::value* keys = doc ? doc->if_contains("keys") : nullptr;
    if (!keys || !keys->is_array() || keys->get_array().empty())
        throw std::runtime_error(source +
                                 ": not a JWK Set (an object whose \"keys\" is a "
                                 "non-empty array)");
    std::vector<Key> out;
    for (std::size_t i = 0; i < keys->get_array().size(); ++i) {
        const std::string where = source + ": keys[" + std::to_string(i) + "]";
        const bj::value& v = keys->get_array()[i];
        if (!v.is_object()) throw std::runtime_error(where + ": not an object");
        const bj::object& jwk = v.get_object();
        if (const bj::string* use = string_member(jwk, "use"); use && *use != "sig")
            throw std::runtime_error(where + ": \"use\" is \"" + std::string(*use) +
                                     "\", not \"sig\"");
        const bj::string* kty = string_member(jwk, "kty");
        Key key;
        if (kty && *kty == "RSA") {
            key.alg = JwsAlgorithm::rs256;
            key.pkey = rsa_key(jwk, where);
        } else if (kty && *kty == "EC") {
            key.alg = JwsAlgorithm::es256;
            key.pkey = ec_key(jwk, where);
        } else if (kty && *kty == "OKP") {
            key.alg = JwsAlgorithm::eddsa;
            key.pkey = okp_key(jwk, where);
        } else {
            throw std::runtime_error(where + ": \"kty\" must be RSA, EC or OKP");
        }
        if (const bj::string* alg = string_member(jwk, "alg");
            alg && algorithm_named(*alg) != key.alg)
            throw std::runtime_error(where + ": \"alg\" " + std::string(*alg) +
                                     " does not fit the key; this key verifies " +
                                     name_of(key.alg) + " only");
        if (const bj::string* kid = string_member(jwk, "kid")) key.kid = std::string(*kid);
        out.push_back(std::move(key));
    }
    return JwtVerifier(std::move(out), std::move(policy));
}

JwtVerifier JwtVerifier::load(const std::filesystem::path& jwks_file, JwtPolicy policy) {
    const std::string setting = "server.http.auth.jwks_file";
    check_trusted_file(jwks_file, ::geteuid(), setting);
    return from_jwks(read_setting_file(jwks_file, setting), setting + " " + jwks_file.string(),
                     std::move(policy));
}

std::variant<VerifiedJwt, std::string> JwtVerifier::verify(std::string_view token,
                                                           std::time_t now) const {
    const auto d1 = token.find('.');
    const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
        return std::string("not a JWS compact serialisation");
    auto header_text = base64url_decode(token.substr(0, d1));
    auto claims_text = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
    auto signature = base64url_decode(token.substr(d2 + 1));
    if (!header_text || !claims_text || !signature) return std::string("not base64url");
    auto header = json_object(*header_text);
    if (!header) return std::string("the header is not a JSON object");
    if (header->contains("crit")) return std::string("the header has crit (not understood)");
    const bj::string* alg_name = string_member(*header, "alg");
    auto alg = alg_name ? algorithm_named(*alg_name) : std::nullopt;
    if (!alg)
        return "algorithm " + (alg_name ? std::string(*alg_name) : std::string("(none)")) +
               " is not accepted (RS256, ES256, EdDSA)";
    // The key: the one the header names, else the only one of the algorithm.
    const Key* key = nullptr;
    const bj::string* kid = string_member(*header, "kid");
    std::size_t candidates = 0;
    for (const auto& k : keys_) {
        if (kid ? k.kid == std::string_view(*kid) : k.alg == *alg) {
            key = &k;
            ++candidates;
        }
    }
    if (!key) return std::string("no key for it in the JWK Set");
    if (!kid && candidates > 1)
        return std::string("no kid, and the JWK Set has several keys for its algorithm");
    if (key->alg != *alg)
        return std::string("its alg ") + name_of(*alg) + " is not its key's (" + name_of(key->alg) +
               ")";

    std::string sig = *signature;
    if (*alg == JwsAlgorithm::es256) {
        auto der = es256_to_der(sig);
        if (!der) return std::string("an ES256 signature is 64 bytes");
        sig = *der;
    }
    const std::string_view signed_part = token.substr(0, d2);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = *alg == JwsAlgorithm::eddsa ? nullptr : EVP_sha256();
    const bool valid =
        ctx && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key->pkey.get()) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!valid) return std::string("bad signature");

    auto claims = json_object(*claims_text);
    if (!claims) return std::string("the claims are not a JSON object");
    const bj::string* iss = string_member(*claims, "iss");
    if (!iss || *iss != policy_.issuer) return std::string("wrong issuer (iss)");
    bool audience_ok = false;
    if (const bj::value* aud = claims->if_contains("aud")) {
        if (aud->is_string()) audience_ok = aud->get_string() == policy_.audience;
        if (aud->is_array())
            for (const auto& a : aud->get_array())
                audience_ok = audience_ok || (a.is_string() && a.get_string() == policy_.audience);
    }
    if (!audience_ok) return std::string("not issued for this server (aud)");
    auto exp = numeric_date(*claims, "exp");
    if (!exp) return std::string("no expiry (exp)");
    if (now >= *exp + policy_.leeway_seconds) return std::string("expired (exp)");
    if (claims->contains("nbf")) {
        auto nbf = numeric_date(*claims, "nbf");
        if (!nbf) return std::string("nbf is not a number");
        if (now + policy_.leeway_seconds < *nbf) return std::string("not valid yet (nbf)");
    }
    const bj::string* sub = string_member(*claims, "sub");
    if (!sub || sub->empty()) return std::string("no subject (sub)");
    VerifiedJwt out{.subject = std::string(*sub), .scopes = {}};
    if (const bj::string* scope = string_member(*claims, "scope")) {
        std::string_view rest = *scope;
        while (!rest.empty()) {
            const auto sp = rest.find(' ');
            if (sp != 0) out.scopes.emplace_back(rest.substr(0, sp));
            if (sp == std::string_view::npos) break;
            rest = rest.substr(sp + 1);
        }
    } else if (const bj::value* scp = claims->if_contains("scp"); scp && scp->is_array()) {
        for (const auto& s : scp->get_array())
            if (s.is_string()) out.scopes.emplace_back(s.get_string());
    }
    return out;
}

}  // namespace schedcp::host::mcp::http
