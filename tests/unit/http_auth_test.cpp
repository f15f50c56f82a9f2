// Authorization on the HTTP transport, without a server: the token file (format, owner and
// mode, SHA-256 lookup), minting, JWT verification against JWK Sets built from keys made
// here with libcrypto, the resource metadata and challenges, scopes against tools.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/http/authorizer.hpp"
#include "mcp/http/base64.hpp"
#include "mcp/http/jwt_verifier.hpp"
#include "mcp/http/token_file.hpp"
#include "principal.hpp"
#include "subprocess.hpp"

using namespace schedcp::host;
using namespace schedcp::host::mcp::http;
using schedcp::host::mcp::sha256;
using schedcp::host::mcp::to_hex;
namespace bj = boost::json;

namespace {

const ScopeNames kNames{};

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

// ------------------------------------------------------------------ keys and tokens

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey make_key(JwsAlgorithm alg) {
    switch (alg) {
        case JwsAlgorithm::rs256:
            return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
        case JwsAlgorithm::es256:
            return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        case JwsAlgorithm::eddsa:
            return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    }
    return nullptr;
}

std::string bn_param(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    BOOST_REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
}

// The public JWK of `key`.
bj::object jwk_of(EVP_PKEY* key, JwsAlgorithm alg, const std::string& kid) {
    bj::object jwk{{"kid", kid}, {"use", "sig"}};
    if (alg == JwsAlgorithm::rs256) {
        jwk["kty"] = "RSA";
        jwk["n"] = base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_N));
        jwk["e"] = base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_E));
    } else if (alg == JwsAlgorithm::es256) {
        unsigned char point[65];
        size_t len = 0;
        BOOST_REQUIRE(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                      sizeof point, &len) == 1);
        BOOST_REQUIRE_EQUAL(len, 65u);
        jwk["kty"] = "EC";
        jwk["crv"] = "P-256";
        jwk["x"] = base64url_encode(std::string_view(reinterpret_cast<char*>(point + 1), 32));
        jwk["y"] = base64url_encode(std::string_view(reinterpret_cast<char*>(point + 33), 32));
    } else {
        unsigned char raw[32];
        size_t len = sizeof raw;
        BOOST_REQUIRE(EVP_PKEY_get_raw_public_key(key, raw, &len) == 1);
        jwk["kty"] = "OKP";
        jwk["crv"] = "Ed25519";
        jwk["x"] = base64url_encode(std::string_view(reinterpret_cast<char*>(raw), len));
    }
    return jwk;
}

std::string sign(EVP_PKEY* key, JwsAlgorithm alg, std::string_view data) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = alg == JwsAlgorithm::eddsa ? nullptr : EVP_sha256();
    BOOST_REQUIRE(EVP_DigestSignInit(ctx, nullptr, md, nullptr, key) == 1);
    size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    BOOST_REQUIRE(EVP_DigestSign(ctx, nullptr, &len, in, data.size()) == 1);
    std::string sig(len, '\0');
    BOOST_REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                                 data.size()) == 1);
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg != JwsAlgorithm::es256) return sig;
    // DER -> r || s, as JWS writes ES256 signatures.
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
}

constexpr std::time_t kNow = 1'900'000'000;
const char* const kIssuer = "https://auth.example.org";
const char* const kAudience = "https://mcp.example.org/mcp";

bj::object good_claims() {
    return {{"iss", kIssuer},    {"aud", kAudience}, {"sub", "alice"},
            {"exp", kNow + 600}, {"nbf", kNow - 10}, {"scope", "read admin"}};
}

std::string make_jwt(EVP_PKEY* key, JwsAlgorithm alg, const bj::object& claims,
                     const std::string& header_alg, const std::string& kid) {
    const std::string header = base64url_encode(
        bj::serialize(bj::object{{"alg", header_alg}, {"typ", "JWT"}, {"kid", kid}}));
    const std::string signing_input = header + "." + base64url_encode(bj::serialize(claims));
    return signing_input + "." + base64url_encode(sign(key, alg, signing_input));
}

const char* alg_name(JwsAlgorithm a) {
    return a == JwsAlgorithm::rs256 ? "RS256" : a == JwsAlgorithm::es256 ? "ES256" : "EdDSA";
}

// One key of each kind, their JWK Set, and a verifier for it.
struct Keys {
    Keys() {
        bj::array jwks;
        for (auto alg : {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa}) {
            keys.emplace_back(make_key(alg));
            jwks.push_back(jwk_of(keys.back().get(), alg, alg_name(alg)));
        }
        jwks_text = bj::serialize(bj::object{{"keys", jwks}});
    }
    JwtVerifier verifier() const {
        return JwtVerifier::from_jwks(
            jwks_text, "test",
            JwtPolicy{.issuer = kIssuer, .audience = kAudience, .leeway_seconds = 60});
    }
    EVP_PKEY* key(JwsAlgorithm alg) const { return keys[static_cast<int>(alg)].get(); }
    std::string token(JwsAlgorithm alg, const bj::object& claims) const {
        return make_jwt(key(alg), alg, claims, alg_name(alg), alg_name(alg));
    }
    std::vector<Pkey> keys;
    std::string jwks_text;
};

const Keys& keys() {
    static const Keys k;
    return k;
}

std::string refusal(const std::variant<VerifiedJwt, std::string>& r) {
    if (auto* why = std::get_if<std::string>(&r)) return *why;
    return "(accepted)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_file)

BOOST_AUTO_TEST_CASE(lines_comments_and_scopes_are_read) {
    const std::string a(64, 'a'), b(64, 'B');
    auto file = TokenFile::parse(
        "# tokens\n\nviewer:" + a + ":read\r\n  \nops.1:" + b + ":read,admin\n", "tokens", kNames);
    BOOST_REQUIRE_EQUAL(file.entries().size(), 2u);
    BOOST_TEST(file.entries()[0].id == "viewer");
    BOOST_TEST((file.entries()[0].scopes == Scopes{.read = true, .admin = false}));
    BOOST_TEST(file.entries()[1].id == "ops.1");
    BOOST_TEST((file.entries()[1].scopes == Scopes{.read = true, .admin = true}));
    BOOST_TEST(to_hex(file.entries()[1].hash) == std::string(64, 'b'));
}

BOOST_AUTO_TEST_CASE(a_bad_line_is_refused_with_its_number) {
    const std::string h(64, '0');
    auto error = [](const std::string& text) {
        return message_of([&] { TokenFile::parse(text, "tokens", kNames); });
    };
    BOOST_TEST(error("ok:" + h + ":read\nbroken\n").find("tokens:2: expected id:sha256-hex") !=
               std::string::npos);
    BOOST_TEST(error("x:" + h.substr(1) + ":read").find("tokens:1: the hash must be 64") !=
               std::string::npos);
    BOOST_TEST(error("x:" + std::string(63, '0') + "g:read").find("the hash must be 64") !=
               std::string::npos);
    BOOST_TEST(error("x:" + h + ":write").find("unknown scope 'write'") != std::string::npos);
    BOOST_TEST(error("x:" + h + ":").find("no scope") != std::string::npos);
    BOOST_TEST(error("x:" + h + ":read,").find("unknown scope ''") != std::string::npos);
    BOOST_TEST(error("a b:" + h + ":read").find("the id must be") != std::string::npos);
    BOOST_TEST(
        error("x:" + h + ":read\nx:" + h + ":admin").find("tokens:2: the id 'x' is already used") !=
        std::string::npos);
    // Configured scope names replace read/admin.
    BOOST_TEST(message_of([&] {
                   TokenFile::parse("x:" + h + ":read", "tokens",
                                    ScopeNames{.read = "mcp:r", .admin = "mcp:w"});
               }).find("unknown scope 'read'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_others_can_read_or_another_user_owns_is_refused) {
    schedcp::test::TempDir dir;
    const std::string path = dir.write("tokens", "x:" + std::string(64, '0') + ":read\n");
    for (mode_t mode : {0644, 0640, 0604, 0660, 0602}) {
        ::chmod(path.c_str(), mode);
        const std::string error = message_of([&] { TokenFile::load(path, kNames); });
        BOOST_TEST(error.find("lets other users read or change it; chmod 600") != std::string::npos,
                   error);
    }
    for (mode_t mode : {0600, 0400}) {
        ::chmod(path.c_str(), mode);
        BOOST_TEST(TokenFile::load(path, kNames).entries().size() == 1u);
    }
    ::chmod(path.c_str(), 0600);
    BOOST_REQUIRE(::chown(path.c_str(), ::geteuid() + 1, static_cast<gid_t>(-1)) == 0);
    BOOST_TEST(message_of([&] {
                   TokenFile::load(path, kNames);
               }).find("not by the server's user") != std::string::npos);
    BOOST_TEST(message_of([&] {
                   TokenFile::load(dir.file("missing"), kNames);
               }).find("cannot be read") != std::string::npos);
    BOOST_TEST(message_of([&] {
                   TokenFile::load(dir.path(), kNames);
               }).find("not a regular file") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tokens_are_found_by_their_sha256) {
    auto minted = mint_token("laptop", {"read"});
    BOOST_TEST(minted.secret.rfind("schedcp_", 0) == 0u);
    BOOST_TEST(minted.secret.size() == 8u + 43u);
    BOOST_TEST(minted.line == "laptop:" + to_hex(sha256(minted.secret)) + ":read");
    auto other = mint_token("ops", {"read", "admin"});
    BOOST_TEST(other.secret != minted.secret);
    auto file = TokenFile::parse(minted.line + "\n" + other.line + "\n", "tokens", kNames);
    BOOST_REQUIRE(file.find(minted.secret) != nullptr);
    BOOST_TEST(file.find(minted.secret)->id == "laptop");
    BOOST_TEST(file.find(other.secret)->id == "ops");
    BOOST_TEST(file.find(minted.secret.substr(0, minted.secret.size() - 1)) == nullptr);
    BOOST_TEST(file.find("") == nullptr);
    // The line itself (what the file holds) is no token.
    BOOST_TEST(file.find(to_hex(sha256(minted.secret))) == nullptr);
    BOOST_TEST(message_of([] { mint_token("a:b", {"read"}); }).find("token id 'a:b'") !=
               std::string::npos);
    BOOST_TEST(message_of([] { mint_token("a", {"re,ad"}); }).find("scope 're,ad'") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jwt)

BOOST_AUTO_TEST_CASE(good_tokens_of_each_algorithm_are_accepted) {
    const auto v = keys().verifier();
    BOOST_TEST(v.key_count() == 3u);
    for (auto alg : {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa}) {
        auto r = v.verify(keys().token(alg, good_claims()), kNow);
        BOOST_TEST_INFO(alg_name(alg));
        BOOST_REQUIRE_MESSAGE(std::holds_alternative<VerifiedJwt>(r), refusal(r));
        BOOST_TEST(std::get<VerifiedJwt>(r).subject == "alice");
        BOOST_TEST((std::get<VerifiedJwt>(r).scopes == std::vector<std::string>{"read", "admin"}));
    }
    // aud as an array, scp as an array, exp and nbf inside the leeway.
    auto claims = good_claims();
    claims["aud"] = bj::array{"other", kAudience};
    claims.erase("scope");
    claims["scp"] = bj::array{"read"};
    claims["exp"] = kNow - 30;
    claims["nbf"] = kNow + 30;
    auto r = v.verify(keys().token(JwsAlgorithm::es256, claims), kNow);
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<VerifiedJwt>(r), refusal(r));
    BOOST_TEST((std::get<VerifiedJwt>(r).scopes == std::vector<std::string>{"read"}));
}

BOOST_AUTO_TEST_CASE(expired_early_and_foreign_tokens_are_refused) {
    const auto v = keys().verifier();
    auto with = [&](const char* key, bj::value value) {
        auto c = good_claims();
        if (value.is_null())
            c.erase(key);
        else
            c[key] = value;
        return refusal(v.verify(keys().token(JwsAlgorithm::rs256, c), kNow));
    };
    BOOST_TEST(with("exp", kNow - 61) == "expired (exp)");
    BOOST_TEST(with("exp", nullptr) == "no expiry (exp)");
    BOOST_TEST(with("nbf", kNow + 61) == "not valid yet (nbf)");
    BOOST_TEST(with("aud", "https://elsewhere.example.org/mcp") ==
               "not issued for this server (aud)");
    BOOST_TEST(with("aud", bj::array{"a", "b"}) == "not issued for this server (aud)");
    BOOST_TEST(with("aud", nullptr) == "not issued for this server (aud)");
    BOOST_TEST(with("iss", "https://evil.example.org") == "wrong issuer (iss)");
    BOOST_TEST(with("iss", nullptr) == "wrong issuer (iss)");
    BOOST_TEST(with("sub", nullptr) == "no subject (sub)");
}

BOOST_AUTO_TEST_CASE(tampered_tokens_are_refused) {
    const auto v = keys().verifier();
    for (auto alg : {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa}) {
        BOOST_TEST_INFO(alg_name(alg));
        const std::string token = keys().token(alg, good_claims());
        // A signature byte flipped.
        const auto dot = token.rfind('.');
        auto sig = *base64url_decode(token.substr(dot + 1));
        sig[sig.size() / 2] ^= 1;
        BOOST_TEST(refusal(v.verify(token.substr(0, dot + 1) + base64url_encode(sig), kNow)) ==
                   "bad signature");
        // Claims changed under the original signature (sub: mallory).
        auto claims = good_claims();
        claims["sub"] = "mallory";
        const auto d1 = token.find('.');
        const std::string forged =
            token.substr(0, d1 + 1) + base64url_encode(bj::serialize(claims)) + token.substr(dot);
        BOOST_TEST(refusal(v.verify(forged, kNow)) == "bad signature");
    }
    BOOST_TEST(refusal(v.verify("a.b", kNow)) == "not a JWS compact serialisation");
    BOOST_TEST(refusal(v.verify("a.b.c.d", kNow)) == "not a JWS compact serialisation");
    BOOST_TEST(refusal(v.verify("a+.b.c", kNow)) == "not base64url");
}

BOOST_AUTO_TEST_CASE(an_algorithm_not_its_keys_is_refused) {
    const auto v = keys().verifier();
    auto* rsa = keys().key(JwsAlgorithm::rs256);
    // alg none, unsigned.
    const std::string none_header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
    const std::string none =
        none_header + "." + base64url_encode(bj::serialize(good_claims())) + ".";
    BOOST_TEST(refusal(v.verify(none, kNow)).find("algorithm none is not accepted") == 0u);
    // HS256 with the RSA key's public modulus as the HMAC secret (the key-confusion attack).
    {
        const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"RS256"})");
        const std::string input = header + "." + base64url_encode(bj::serialize(good_claims()));
        const std::string secret = keys().jwks_text;
        unsigned char mac[32];
        unsigned int len = 0;
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
        const std::string token =
            input + "." + base64url_encode(std::string_view(reinterpret_cast<char*>(mac), len));
        BOOST_TEST(refusal(v.verify(token, kNow)).find("algorithm HS256 is not accepted") == 0u);
    }
    // Signed with the RSA key but claiming ES256 for the RSA kid, and the other way round.
    BOOST_TEST(refusal(v.verify(make_jwt(rsa, JwsAlgorithm::rs256, good_claims(), "ES256", "RS256"),
                                kNow)) == "its alg ES256 is not its key's (RS256)");
    auto* ec = keys().key(JwsAlgorithm::es256);
    BOOST_TEST(refusal(v.verify(make_jwt(ec, JwsAlgorithm::es256, good_claims(), "RS256", "ES256"),
                                kNow)) == "its alg RS256 is not its key's (ES256)");
    // A kid the set does not have.
    BOOST_TEST(refusal(v.verify(make_jwt(rsa, JwsAlgorithm::rs256, good_claims(), "RS256", "gone"),
                                kNow)) == "no key for it in the JWK Set");
    // A key made here, not in the set, under a kid that is.
    Pkey stranger = make_key(JwsAlgorithm::eddsa);
    BOOST_TEST(refusal(v.verify(
                   make_jwt(stranger.get(), JwsAlgorithm::eddsa, good_claims(), "EdDSA", "EdDSA"),
                   kNow)) == "bad signature");
}

BOOST_AUTO_TEST_CASE(unusable_jwk_sets_are_refused_at_load) {
    auto error = [](const std::string& text) {
        return message_of([&] {
            JwtVerifier::from_jwks(text, "jwks.json", JwtPolicy{.issuer = "i", .audience = "a"});
        });
    };
    BOOST_TEST(error("[]").find("jwks.json: not a JWK Set") == 0u);
    BOOST_TEST(error(R"({"keys":[]})").find("not a JWK Set") != std::string::npos);
    BOOST_TEST(error(R"({"keys":[{"kty":"oct","k":"AAAA"}]})")
                   .find("keys[0]: \"kty\" must be RSA, EC or OKP") != std::string::npos);
    auto ec = jwk_of(keys().key(JwsAlgorithm::es256), JwsAlgorithm::es256, "k");
    ec["alg"] = "RS256";
    BOOST_TEST(error(bj::serialize(bj::object{{"keys", bj::array{ec}}}))
                   .find("\"alg\" RS256 does not fit the key; this key verifies ES256 only") !=
               std::string::npos);
    ec["alg"] = "ES256";
    ec["use"] = "enc";
    BOOST_TEST(error(bj::serialize(bj::object{{"keys", bj::array{ec}}})).find("not \"sig\"") !=
               std::string::npos);
    Pkey small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
    BOOST_TEST(error(bj::serialize(bj::object{
                         {"keys", bj::array{jwk_of(small.get(), JwsAlgorithm::rs256, "s")}}}))
                   .find("under 2048 bits") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(http_auth)

BOOST_AUTO_TEST_CASE(scopes_allow_tools_by_their_read_only_annotation) {
    schedcp::sdk::ToolSpec ro, rw, unset;
    ro.annotations.read_only = true;
    rw.annotations.read_only = false;
    const Principal reader{.id = "r", .scopes = {.read = true}};
    const Principal admin{.id = "a", .scopes = {.admin = true}};
    const Principal nobody{.id = "n", .scopes = {}};
    BOOST_TEST(reader.may_call(ro));
    BOOST_TEST(!reader.may_call(rw));
    BOOST_TEST(!reader.may_call(unset));
    BOOST_TEST(admin.may_call(rw));
    BOOST_TEST(admin.may_call(unset));
    BOOST_TEST(!nobody.may_call(ro));
    BOOST_TEST(Principal::local().may_call(rw));
}

BOOST_AUTO_TEST_CASE(bearer_tokens_become_principals_and_metadata_points_at_the_resource) {
    schedcp::test::TempDir dir;
    auto reader = mint_token("viewer", {"read"});
    const std::string path = dir.write("tokens", reader.line + "\n");
    ::chmod(path.c_str(), 0600);
    HttpAuthConfig config;
    config.token_file = path;
    Authorizer auth(config, "/mcp", false);

    auto who = auth.authenticate("Bearer " + reader.secret, kNow);
    BOOST_REQUIRE(std::holds_alternative<Principal>(who));
    BOOST_TEST(std::get<Principal>(who).id == "viewer");
    BOOST_TEST((std::get<Principal>(who).scopes == Scopes{.read = true}));
    BOOST_TEST(
        std::holds_alternative<Principal>(auth.authenticate("bearer " + reader.secret, kNow)));
    auto missing = auth.authenticate("", kNow);
    BOOST_TEST(!std::get<AuthRefusal>(missing).token_given);
    BOOST_TEST(!std::get<AuthRefusal>(auth.authenticate("Basic dXNlcg==", kNow)).token_given);
    auto wrong = auth.authenticate("Bearer schedcp_nope", kNow);
    BOOST_TEST(std::get<AuthRefusal>(wrong).token_given);
    BOOST_TEST(std::get<AuthRefusal>(wrong).reason == "unknown token");

    const std::string host = "127.0.0.1:8765";
    BOOST_TEST(auth.resource(host) == "http://127.0.0.1:8765/mcp");
    BOOST_TEST(auth.metadata_url(host) ==
               "http://127.0.0.1:8765/.well-known/oauth-protected-resource/mcp");
    BOOST_TEST(auth.unauthenticated_challenge(host, std::get<AuthRefusal>(missing)) ==
               "Bearer resource_metadata=\"http://127.0.0.1:8765/.well-known/"
               "oauth-protected-resource/mcp\", scope=\"read\"");
    BOOST_TEST(auth.unauthenticated_challenge(host, std::get<AuthRefusal>(wrong))
                   .find(", error=\"invalid_token\", error_description=\"unknown token\"") !=
               std::string::npos);
    BOOST_TEST(auth.insufficient_scope_challenge(host).find(
                   "Bearer error=\"insufficient_scope\", scope=\"admin\", resource_metadata=") ==
               0u);
    auto doc = bj::parse(auth.metadata_document(host)).as_object();
    BOOST_TEST(doc.at("resource").as_string() == "http://127.0.0.1:8765/mcp");
    BOOST_TEST(doc.at("scopes_supported") == (bj::array{"read", "admin"}));
    BOOST_TEST(doc.at("bearer_methods_supported") == (bj::array{"header"}));
    BOOST_TEST(!doc.contains("authorization_servers"));
    BOOST_TEST(auth.is_metadata_path("/.well-known/oauth-protected-resource"));
    BOOST_TEST(auth.is_metadata_path("/.well-known/oauth-protected-resource/mcp"));
    BOOST_TEST(!auth.is_metadata_path("/.well-known/oauth-protected-resource/other"));
    BOOST_TEST(!auth.is_metadata_path("/mcp"));
}

BOOST_AUTO_TEST_CASE(a_configured_resource_and_jwts) {
    schedcp::test::TempDir dir;
    HttpAuthConfig config;
    config.jwks_file = dir.write("jwks.json", keys().jwks_text);
    config.issuer = kIssuer;
    config.resource = "https://proxy.example.org/tools/mcp";
    config.audience = kAudience;
    config.authorization_servers = {kIssuer};
    config.read_scope = "mcp:read";
    config.admin_scope = "mcp:admin";
    Authorizer auth(config, "/mcp", true);
    BOOST_TEST(auth.metadata_url("ignored") ==
               "https://proxy.example.org/.well-known/oauth-protected-resource/tools/mcp");
    BOOST_TEST(auth.is_metadata_path("/.well-known/oauth-protected-resource/tools/mcp"));
    BOOST_TEST(auth.is_metadata_path("/.well-known/oauth-protected-resource/mcp"));
    auto doc = bj::parse(auth.metadata_document("ignored")).as_object();
    BOOST_TEST(doc.at("resource").as_string() == "https://proxy.example.org/tools/mcp");
    BOOST_TEST(doc.at("authorization_servers") == (bj::array{kIssuer}));
    BOOST_TEST(doc.at("scopes_supported") == (bj::array{"mcp:read", "mcp:admin"}));

    auto claims = good_claims();
    claims["scope"] = "openid mcp:read";
    const auto now = std::time(nullptr);
    claims["exp"] = now + 300;
    claims["nbf"] = now - 5;
    auto who = auth.authenticate("Bearer " + keys().token(JwsAlgorithm::eddsa, claims), now);
    BOOST_REQUIRE(std::holds_alternative<Principal>(who));
    BOOST_TEST(std::get<Principal>(who).id == "jwt:alice");
    BOOST_TEST((std::get<Principal>(who).scopes == Scopes{.read = true}));
    claims["exp"] = now - 3600;
    auto expired = auth.authenticate("Bearer " + keys().token(JwsAlgorithm::eddsa, claims), now);
    BOOST_TEST(std::get<AuthRefusal>(expired).reason == "JWT refused: expired (exp)");
}

BOOST_AUTO_TEST_SUITE_END()
