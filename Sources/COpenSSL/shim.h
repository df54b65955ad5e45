#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// OpenSSL 3 (Debian 12's libssl-dev). Several of its calls are function-like macros over
// SSL_ctrl / SSL_CTX_ctrl and typed-stack macros, which Swift cannot import; the static
// inline wrappers below give them a callable name. The ALPN selection callback lives here
// too: it needs a static protocol list and is called by OpenSSL with C linkage.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>

static inline int copenssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/// Partial writes (SSL_write returns what fit into the BIO) from a buffer that may move
/// between retries (our output queue hands the same bytes from a different address).
static inline void copenssl_ctx_set_write_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

/// No renegotiation (a peer could otherwise make us redo handshakes at will), no compression (CRIME).
static inline void copenssl_ctx_set_safe_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
}

static inline int copenssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static const unsigned char copenssl_alpn_h2[] = {2, 'h', '2'};

/// Server side: select "h2" when the client offers it; otherwise fail the handshake with
/// the no_application_protocol alert.
static inline int copenssl_alpn_select_h2(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                          const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    unsigned char *selected = NULL;
    unsigned char length = 0;
    if (SSL_select_next_proto(&selected, &length, copenssl_alpn_h2, sizeof copenssl_alpn_h2, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    *outlen = length;
    return SSL_TLSEXT_ERR_OK;
}

static inline void copenssl_ctx_select_alpn_h2(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, copenssl_alpn_select_h2, NULL);
}

/// Client side: offer "h2". Returns 0 on success (OpenSSL's convention for this call).
static inline int copenssl_ctx_offer_alpn_h2(SSL_CTX *ctx) {
    return SSL_CTX_set_alpn_protos(ctx, copenssl_alpn_h2, sizeof copenssl_alpn_h2);
}

static inline unsigned long copenssl_name_flags_rfc2253(void) {
    return XN_FLAG_RFC2253;
}

static inline int copenssl_general_names_count(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline const GENERAL_NAME *copenssl_general_names_at(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

static inline void copenssl_general_names_free(GENERAL_NAMES *names) {
    GENERAL_NAMES_free(names);
}
#endif
