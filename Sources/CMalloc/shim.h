#ifndef GATEWAY_CMALLOC_SHIM_H
#define GATEWAY_CMALLOC_SHIM_H
#include <malloc.h>
// glibc's own count of the heap: bytes in live allocations (small ones plus those given their own mapping) and bytes
// the allocator holds but has free. Resident memory alone cannot tell a leak from an allocator keeping freed memory.
static inline size_t gw_heap_bytes_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}
static inline size_t gw_heap_bytes_free(void) { return mallinfo2().fordblks; }
// Gives memory malloc holds free back to the system (the top of each heap, and whole free pages inside them).
static inline void gw_heap_trim(void) { (void)malloc_trim(0); }
// Caps the number of malloc arenas. Takes effect for arenas created afterwards, so call it before starting threads.
static inline int gw_heap_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
#endif
