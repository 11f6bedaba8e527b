#ifndef GATEWAY_CCRYPTO_SHIM_H
#define GATEWAY_CCRYPTO_SHIM_H
/* The SHA-256 block functions below are deprecated in OpenSSL 3 in favour of EVP, whose contexts are allocated and
   looked up on every use; they are still exported and are what EVP runs underneath. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/random.h>
#include <string.h>

/* HMAC-SHA256 (RFC 2104) from a key set up once: the SHA-256 states after the key's inner and outer padded blocks.
   A message starts from copies of them, so signing one allocates nothing and hashes only the message and the inner
   digest. */
typedef struct {
    SHA256_CTX inner;
    SHA256_CTX outer;
} gw_hmac_sha256_key;

static inline void gw_hmac_sha256_key_init(gw_hmac_sha256_key *key, const unsigned char *secret, size_t length) {
    unsigned char block[SHA256_CBLOCK];
    unsigned char pad[SHA256_CBLOCK];
    memset(block, 0, sizeof block);
    if (length > SHA256_CBLOCK) {
        SHA256(secret, length, block);
    } else if (length > 0) {
        memcpy(block, secret, length);
    }
    for (size_t i = 0; i < SHA256_CBLOCK; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&key->inner);
    SHA256_Update(&key->inner, pad, sizeof pad);
    for (size_t i = 0; i < SHA256_CBLOCK; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&key->outer);
    SHA256_Update(&key->outer, pad, sizeof pad);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

static inline void gw_hmac_sha256(const gw_hmac_sha256_key *key, const unsigned char *message, size_t length,
                                  unsigned char tag[SHA256_DIGEST_LENGTH]) {
    SHA256_CTX state = key->inner;
    unsigned char inner[SHA256_DIGEST_LENGTH];
    if (length > 0) SHA256_Update(&state, message, length);
    SHA256_Final(inner, &state);
    state = key->outer;
    SHA256_Update(&state, inner, sizeof inner);
    SHA256_Final(tag, &state);
    OPENSSL_cleanse(&state, sizeof state);
    OPENSSL_cleanse(inner, sizeof inner);
}
#endif
