#ifndef GW_CCURL_SHIM_H
#define GW_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * Swift cannot call C variadic functions, and curl_easy_setopt, curl_multi_setopt and
 * curl_easy_getinfo are variadic. These static inline wrappers fix the argument type per
 * call so Swift sees ordinary typed functions. Macros that expand to expressions
 * (CURL_GLOBAL_ALL, CURL_ERROR_SIZE) are re-exported as functions for the same reason.
 */

/* ---- curl_easy_setopt ---- */

static inline CURLcode gw_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gw_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies strings passed to string options (except POSTFIELDS), so Swift may pass temporaries. */
static inline CURLcode gw_easy_setopt_str(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gw_easy_setopt_ptr(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gw_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gw_easy_setopt_write_cb(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

/* The header callback has the same C signature as the write callback. */
static inline CURLcode gw_easy_setopt_header_cb(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

/* What an upload (an SMTP message) is read from. */
static inline CURLcode gw_easy_setopt_read_cb(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

/* ---- curl_easy_getinfo ---- */

static inline CURLcode gw_easy_getinfo_long(CURL *handle, CURLINFO info, long *out) {
    return curl_easy_getinfo(handle, info, out);
}

static inline CURLcode gw_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *out) {
    return curl_easy_getinfo(handle, info, out);
}

static inline CURLcode gw_easy_getinfo_double(CURL *handle, CURLINFO info, double *out) {
    return curl_easy_getinfo(handle, info, out);
}

/* CURLINFO_PRIVATE is declared as a string info but returns the pointer set with CURLOPT_PRIVATE. */
static inline CURLcode gw_easy_getinfo_private(CURL *handle, void **out) {
    char *value = NULL;
    CURLcode code = curl_easy_getinfo(handle, CURLINFO_PRIVATE, &value);
    *out = (void *)value;
    return code;
}

/* ---- curl_multi_setopt ---- */

static inline CURLMcode gw_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* ---- macro constants ---- */

static inline long gw_curl_global_all(void) { return CURL_GLOBAL_ALL; }
static inline int gw_curl_error_size(void) { return CURL_ERROR_SIZE; }

#endif /* GW_CCURL_SHIM_H */
