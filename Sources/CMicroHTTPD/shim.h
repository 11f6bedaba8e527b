/*
 * Swift-facing helpers for libmicrohttpd.
 *
 * Swift cannot call C variadic functions (MHD_start_daemon, MHD_get_daemon_info,
 * MHD_get_connection_info), and MHD's enums import as structs whose raw values are
 * easy to get wrong (MHD_RESPMEM_MUST_FREE vs MUST_COPY frees Swift memory if mixed
 * up). Everything Swift needs goes through the small named helpers below instead.
 */
#ifndef GW_CMICROHTTPD_SHIM_H
#define GW_CMICROHTTPD_SHIM_H

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---------------------------------------------------------------- results */

static inline enum MHD_Result gw_mhd_yes(void) { return MHD_YES; }
static inline enum MHD_Result gw_mhd_no(void) { return MHD_NO; }
static inline int gw_mhd_is_yes(enum MHD_Result r) { return r == MHD_YES; }

/* ---------------------------------------------------------------- logging */

/*
 * MHD reports why MHD_start_daemon failed (e.g. "Failed to bind to port 8080:
 * Address already in use") only through its logger. The sink keeps the latest
 * message so the Swift side can put it into the thrown error, and keeps MHD's
 * per-connection chatter (client resets and the like) off stderr. It also keeps
 * the first message: when TLS set-up fails, GnuTLS's reason comes first and a
 * generic "Failed to initialize TLS support." last.
 */
typedef struct gw_mhd_log_sink {
  pthread_mutex_t lock;
  char last[512];
  char first[512];
} gw_mhd_log_sink;

static inline void gw_mhd_log_sink_init(gw_mhd_log_sink *sink) {
  pthread_mutex_init(&sink->lock, NULL);
  sink->last[0] = '\0';
  sink->first[0] = '\0';
}

static inline void gw_mhd_log_sink_destroy(gw_mhd_log_sink *sink) {
  pthread_mutex_destroy(&sink->lock);
}

/* Copies the latest message, or with `first` the first one (without trailing newline), into out;
   returns its length. */
static inline size_t gw_mhd_log_sink_read(gw_mhd_log_sink *sink, int first, char *out, size_t out_len) {
  size_t n;
  const char *message;
  if (out_len == 0) return 0;
  pthread_mutex_lock(&sink->lock);
  message = first ? sink->first : sink->last;
  n = strlen(message);
  if (n >= out_len) n = out_len - 1;
  memcpy(out, message, n);
  out[n] = '\0';
  pthread_mutex_unlock(&sink->lock);
  return n;
}

static inline void gw_mhd_log_to_sink(void *cls, const char *fm, va_list ap) {
  gw_mhd_log_sink *sink = (gw_mhd_log_sink *)cls;
  size_t n;
  pthread_mutex_lock(&sink->lock);
  vsnprintf(sink->last, sizeof(sink->last), fm, ap);
  n = strlen(sink->last);
  while (n > 0 && (sink->last[n - 1] == '\n' || sink->last[n - 1] == '\r')) sink->last[--n] = '\0';
  if (sink->first[0] == '\0') memcpy(sink->first, sink->last, n + 1);
  pthread_mutex_unlock(&sink->lock);
}

/* ---------------------------------------------------------------- daemon */

/* Everything the gateway configures on a daemon, in one plain struct. */
typedef struct gw_mhd_daemon_config {
  const char *host;                 /* numeric IPv4 or IPv6 address */
  uint16_t port;                    /* 0 = ephemeral */
  unsigned int thread_pool_size;    /* <= 1: a single internal polling thread */
  unsigned int connection_timeout;  /* seconds of inactivity before MHD closes */
  unsigned int connection_limit;
  unsigned int per_ip_connection_limit; /* 0 = none */
  size_t connection_memory_limit;   /* per-connection pool: headers + read buffer */
  int listen_fd;                    /* >= 0: serve this listening socket (MHD takes it) instead of binding */
  const char *tls_cert_pem;         /* both set: HTTPS (GnuTLS) with this certificate chain ... */
  const char *tls_key_pem;          /* ... and this unencrypted private key */
  const char *tls_priorities;       /* GnuTLS priority string; NULL = MHD's default */
} gw_mhd_daemon_config;

/* MHD_OPTION_URI_LOG_CALLBACK's function type (microhttpd.h names none). */
typedef void *(*gw_mhd_uri_log_callback)(void *cls, const char *uri, struct MHD_Connection *connection);

/* Failure reasons detected before MHD is even asked. */
enum {
  GW_MHD_START_OK = 0,
  GW_MHD_START_BAD_HOST = 1,
  GW_MHD_START_DAEMON_FAILED = 2
};

/*
 * Starts a daemon: internal polling thread (poll(), see below) with an optional
 * worker pool, suspend/resume (which implies an inter-thread channel, also
 * needed for MHD_quiesce_daemon), error log routed into `log_sink`.
 * `completed`, `notify_connection` (connection opened / closed) and `uri_log`
 * (request line read, before MHD splits or decodes the target) all get
 * `callbacks_cls`, on the thread that owns the connection.
 * The sockaddr only has to live for the duration of the call: MHD binds inside it.
 * With `listen_fd` the daemon serves that socket instead (the host is not read).
 * With a certificate and key the daemon speaks TLS only; plain HTTP gets no answer.
 */
static inline struct MHD_Daemon *gw_mhd_start_daemon(const gw_mhd_daemon_config *cfg,
                                                     MHD_AccessHandlerCallback access_handler,
                                                     void *access_cls,
                                                     MHD_RequestCompletedCallback completed,
                                                     MHD_NotifyConnectionCallback notify_connection,
                                                     gw_mhd_uri_log_callback uri_log,
                                                     void *callbacks_cls,
                                                     gw_mhd_log_sink *log_sink,
                                                     int *start_error) {
  struct sockaddr_in v4;
  struct sockaddr_in6 v6;
  const struct sockaddr *addr;
  /*
   * poll(), not epoll: every graceful stop and every certificate reload calls
   * MHD_quiesce_daemon while the worker threads run. With epoll, libmicrohttpd
   * (0.9.75 as shipped by Debian 12, and still 1.0) removes the listening
   * socket from each worker's epoll set from the calling thread, while a worker
   * that wakes at that moment sees the quiesce flag and removes it as well;
   * neither flag is atomic or locked, the removal that comes second gets
   * ENOENT, and two of the three places that remove it answer that with
   * MHD_PANIC: the whole gateway aborts ("Failed to remove listen FD from
   * epoll set"). With poll() a worker builds its poll set afresh on every turn
   * and leaves the listening socket out once the flag is set; here
   * MHD_quiesce_daemon only sets the flag and wakes each worker through its
   * inter-thread channel, so there is no shared set to race over.
   * The price: each wake-up of a worker polls and visits every connection it
   * holds that is not suspended (waiting for an asynchronous answer or a live
   * stream's next event), not only the ready ones, so it grows with the open
   * connections per worker (the connection limit is split across the pool).
   */
  unsigned int flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  struct MHD_Daemon *daemon;

  memset(&v4, 0, sizeof(v4));
  memset(&v6, 0, sizeof(v6));
  if (cfg->listen_fd >= 0) {
    addr = NULL;
  } else if (inet_pton(AF_INET, cfg->host, &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(cfg->port);
    addr = (const struct sockaddr *)&v4;
  } else if (inet_pton(AF_INET6, cfg->host, &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(cfg->port);
    addr = (const struct sockaddr *)&v6;
    flags |= MHD_USE_IPv6;
  } else {
    *start_error = GW_MHD_START_BAD_HOST;
    return NULL;
  }

  {
    /* Built as an array so the pool option is only present when wanted: MHD logs a warning
       for a pool size of 0 or 1. */
    struct MHD_OptionItem options[16];
    size_t n = 0;
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)gw_mhd_log_to_sink, log_sink};
    if (addr != NULL)
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)addr};
    else
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, (intptr_t)cfg->listen_fd, NULL};
    if (cfg->tls_cert_pem != NULL && cfg->tls_key_pem != NULL) {
      flags |= MHD_USE_TLS;
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->tls_key_pem};
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cfg->tls_cert_pem};
      if (cfg->tls_priorities != NULL)
        options[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)cfg->tls_priorities};
    }
    if (cfg->thread_pool_size > 1)
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->thread_pool_size, NULL};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)cfg->connection_timeout, NULL};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)cfg->connection_limit, NULL};
    if (cfg->per_ip_connection_limit > 0)
      options[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                             (intptr_t)cfg->per_ip_connection_limit, NULL};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)cfg->connection_memory_limit, NULL};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, callbacks_cls};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)notify_connection, callbacks_cls};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_log, callbacks_cls};
    options[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    daemon = MHD_start_daemon(flags, cfg->port, NULL, NULL, access_handler, access_cls,
                              MHD_OPTION_ARRAY, options, MHD_OPTION_END);
  }
  *start_error = daemon ? GW_MHD_START_OK : GW_MHD_START_DAEMON_FAILED;
  return daemon;
}

/* ---------------------------------------------------------------- daemon info */

/* The port the daemon actually listens on (meaningful after binding port 0); 0 if unknown. */
static inline uint16_t gw_mhd_bound_port(struct MHD_Daemon *daemon) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

/* ---------------------------------------------------------------- requests */

static inline int gw_mhd_header_values(struct MHD_Connection *c, MHD_KeyValueIteratorN it, void *cls) {
  return MHD_get_connection_values_n(c, MHD_HEADER_KIND, it, cls);
}

static inline int gw_mhd_query_values(struct MHD_Connection *c, MHD_KeyValueIteratorN it, void *cls) {
  return MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, it, cls);
}

/* Writes the client's numeric address into out; returns 1 on success, 0 if unavailable. */
static inline int gw_mhd_client_address(struct MHD_Connection *c, char *out, size_t out_len) {
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa;
  if (info == NULL || info->client_addr == NULL || out_len == 0) return 0;
  sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
    return inet_ntop(AF_INET, &in4->sin_addr, out, (socklen_t)out_len) != NULL;
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    return inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)out_len) != NULL;
  }
  return 0;
}

/* ---------------------------------------------------------------- connections */

static inline int gw_mhd_notify_is_started(enum MHD_ConnectionNotificationCode code) {
  return code == MHD_CONNECTION_NOTIFY_STARTED;
}

/* The connection's socket, or -1. */
static inline int gw_mhd_connection_fd(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
  return info ? (int)info->connect_fd : -1;
}

/* What the connection-notify callback stored for the connection, or NULL. */
static inline void *gw_mhd_socket_context(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? info->socket_context : NULL;
}

/* Bytes of the request line and header fields (available once the head is in), or 0. */
static inline size_t gw_mhd_request_head_size(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
  return info ? info->header_size : 0;
}

/*
 * The length of the request target as MHD delimited it, or -1 when unknown.
 * MHD parses the request line in place: the target starts at `url` and ends at
 * the separator (now a NUL) just before `version`; both point into that line,
 * whose length is bounded by the head size. A NUL byte the client put inside
 * the target ends the C string early, so comparing this span with the C
 * string's length reveals it.
 */
static inline long gw_mhd_target_span(const char *url, const char *version, size_t head_size) {
  ptrdiff_t span;
  if (url == NULL || version == NULL || version <= url) return -1;
  span = version - url - 1;
  if (span < 0 || (size_t)span > head_size || version[-1] != '\0') return -1;
  return (long)span;
}

/*
 * Cuts a connection from outside its MHD thread: the client gets end-of-stream,
 * and MHD's next read sees the same and closes the connection the normal way
 * (completion and close callbacks included). Only valid while MHD still owns
 * `fd`, i.e. before the close notification for its connection.
 */
static inline void gw_socket_shutdown(int fd) {
  if (fd >= 0) (void)shutdown(fd, SHUT_RDWR);
}

/* ---------------------------------------------------------------- responses */

/*
 * A response whose body MHD copies before returning, so the Swift buffer may go
 * away right after. An empty body uses a static empty string (persistent mode):
 * no allocation, and no NULL pointer handed to MHD.
 */
static inline struct MHD_Response *gw_mhd_response_copying(const void *data, size_t size) {
  static const char empty[1] = {0};
  if (size == 0 || data == NULL)
    return MHD_create_response_from_buffer(0, (void *)empty, MHD_RESPMEM_PERSISTENT);
  return MHD_create_response_from_buffer(size, (void *)data, MHD_RESPMEM_MUST_COPY);
}

/*
 * A response of unknown length whose body `reader` produces as the client reads it: MHD sends it with chunked
 * transfer encoding (HTTP/1.1) and calls `free_cls` once it is done with the response (sent, failed, or the
 * client went away). Swift cannot spell MHD_SIZE_UNKNOWN or the reader's end markers (casts in macros), hence
 * these helpers.
 */
static inline struct MHD_Response *gw_mhd_response_streaming(size_t block_size, MHD_ContentReaderCallback reader,
                                                              void *cls, MHD_ContentReaderFreeCallback free_cls) {
  return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, block_size, reader, cls, free_cls);
}

static inline ssize_t gw_mhd_reader_end_of_stream(void) { return MHD_CONTENT_READER_END_OF_STREAM; }
static inline ssize_t gw_mhd_reader_end_with_error(void) { return MHD_CONTENT_READER_END_WITH_ERROR; }

/* ---------------------------------------------------------------- listen socket */

/*
 * After MHD_quiesce_daemon the listen socket is ours but still listening, so the
 * kernel would keep completing handshakes into the backlog and clients would hang.
 * Shutting it down (not closing: MHD threads may still hold the number until
 * MHD_stop_daemon) makes new connection attempts fail fast.
 */
static inline void gw_listen_socket_stop_accepting(int fd) {
  if (fd >= 0) (void)shutdown(fd, SHUT_RDWR);
}

static inline void gw_listen_socket_close(int fd) {
  if (fd >= 0) (void)close(fd);
}

#endif /* GW_CMICROHTTPD_SHIM_H */
