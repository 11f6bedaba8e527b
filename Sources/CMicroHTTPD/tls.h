/*
 * HTTPS and certificate reloads: whether libmicrohttpd has TLS, a GnuTLS check of
 * a certificate and key that starts nothing, copies of secret PEM text that are
 * wiped when freed, and handing a daemon's listening socket to a successor daemon
 * (which serves the new certificate while the old daemon finishes its connections).
 */
#ifndef GW_CMICROHTTPD_TLS_H
#define GW_CMICROHTTPD_TLS_H

#include "shim.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- TLS */

/* Whether this libmicrohttpd was built with TLS (GnuTLS) support. */
static inline int gw_mhd_tls_supported(void) {
  return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

/*
 * Asks GnuTLS, through a daemon that never listens nor runs a thread, whether it
 * accepts this certificate chain, key (which must belong to the certificate) and
 * priority string. Returns 1 if so; otherwise 0, with GnuTLS's reason in
 * `log_sink`. Lets a start or a reload tell a refused certificate apart from a
 * port in use, and refuse it before anything changes.
 */
/* The probe's access handler (MHD requires one); the probe never has a connection to call it for. */
static inline enum MHD_Result gw_mhd_refuse_all(void *cls, struct MHD_Connection *connection, const char *url,
                                                const char *method, const char *version, const char *upload_data,
                                                size_t *upload_data_size, void **req_cls) {
  (void)cls; (void)connection; (void)url; (void)method; (void)version; (void)upload_data;
  (void)upload_data_size; (void)req_cls;
  return MHD_NO;
}

static inline int gw_mhd_tls_accepts(const char *cert_pem, const char *key_pem, const char *priorities,
                                      gw_mhd_log_sink *log_sink) {
  struct MHD_OptionItem options[5];
  size_t n = 0;
  struct MHD_Daemon *probe;
  options[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)gw_mhd_log_to_sink, log_sink};
  options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem};
  options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem};
  if (priorities != NULL)
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)priorities};
  options[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
  probe = MHD_start_daemon(MHD_USE_TLS | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                           gw_mhd_refuse_all, NULL, MHD_OPTION_ARRAY, options, MHD_OPTION_END);
  if (probe == NULL) return 0;
  MHD_stop_daemon(probe);
  return 1;
}

/*
 * A NUL-terminated copy of secret bytes (a PEM private key) for MHD, which
 * takes C strings. Free it with gw_secret_free, which wipes it first.
 */
static inline char *gw_secret_copy(const void *bytes, size_t length) {
  char *copy = (char *)malloc(length + 1);
  if (copy == NULL) return NULL;
  if (length > 0) memcpy(copy, bytes, length);
  copy[length] = '\0';
  return copy;
}

static inline void gw_secret_free(char *copy) {
  if (copy == NULL) return;
  explicit_bzero(copy, strlen(copy));
  free(copy);
}

/* ---------------------------------------------------------------- listening socket hand-over */

/*
 * A second descriptor for the daemon's listening socket, for a successor daemon
 * that takes over accepting (a certificate reload); -1 if there is none. The
 * socket stays open, and keeps queueing connections, for as long as either
 * descriptor is.
 */
static inline int gw_mhd_duplicate_listen_socket(struct MHD_Daemon *daemon) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_LISTEN_FD);
  if (info == NULL || info->listen_fd < 0) return -1;
  return fcntl(info->listen_fd, F_DUPFD_CLOEXEC, 0);
}

/*
 * After a successor daemon failed to start on `duplicate`: MHD closes a socket it
 * was given on some failure paths and not on others, so the duplicate is closed
 * here only if it is still open and still the same socket as `original` (never
 * a descriptor number some other thread got in the meantime).
 */
static inline void gw_listen_socket_close_duplicate(int duplicate, int original) {
  struct stat a, b;
  if (duplicate < 0 || original < 0) return;
  if (fstat(duplicate, &a) != 0 || fstat(original, &b) != 0) return;
  if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) (void)close(duplicate);
}

/* The daemon's listening socket, or -1 (none, or handed back by MHD_quiesce_daemon). */
static inline int gw_mhd_listen_socket(struct MHD_Daemon *daemon) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_LISTEN_FD);
  return info ? (int)info->listen_fd : -1;
}

#endif /* GW_CMICROHTTPD_TLS_H */
