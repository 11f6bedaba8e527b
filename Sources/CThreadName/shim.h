#ifndef GATEWAY_CTHREADNAME_SHIM_H
#define GATEWAY_CTHREADNAME_SHIM_H
#include <pthread.h>
// glibc declares it only under _GNU_SOURCE, which Swift's Glibc module is built without.
extern int pthread_setname_np(pthread_t thread, const char *name);
extern int pthread_getname_np(pthread_t thread, char *name, size_t length);
// Names the calling thread where the OS shows it (top -H, perf, /proc/<pid>/task/<tid>/comm): 15 bytes at most (a
// longer name is refused and the old one kept). Foundation's `Thread.name` setter does nothing when the new thread runs
// before `start()` has stored its handle, and set before `start()` it never reaches the OS at all.
static inline int gw_name_current_thread(const char *name) { return pthread_setname_np(pthread_self(), name); }
// The calling thread's name as the OS shows it, into `name` (16 bytes hold any).
static inline int gw_current_thread_name(char *name, size_t length) {
    return pthread_getname_np(pthread_self(), name, length);
}
#endif
