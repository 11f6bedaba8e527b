#include "gateway_pagecache.h"

#include <sqlite3.h>
#include <stdatomic.h>

/// SQLite's lock-byte page sits at this byte offset (`PENDING_BYTE`); no page is ever stored there, which is why
/// balancing can borrow its number. Were it moved (a test-only setting), the number would simply count as a real one
/// and every truncation would be passed on, as without this wrapper.
static const sqlite3_int64 lockByteOffset = 0x40000000;

/// One cache: SQLite's, and the largest page number a page in it can have.
typedef struct GatewayPageCache {
    sqlite3_pcache *inner;
    /// At least every page number in `inner`, except the lock-byte page's while balancing borrows it.
    unsigned int largestKey;
    unsigned int lockBytePage;
} GatewayPageCache;

static sqlite3_pcache_methods2 sqliteMethods;
static atomic_llong truncationsPassed;
static atomic_llong truncationsSkipped;

static int cacheInit(void *argument) {
    (void)argument;
    return sqliteMethods.xInit != NULL ? sqliteMethods.xInit(sqliteMethods.pArg) : SQLITE_OK;
}

static void cacheShutdown(void *argument) {
    (void)argument;
    if (sqliteMethods.xShutdown != NULL) sqliteMethods.xShutdown(sqliteMethods.pArg);
}

static sqlite3_pcache *cacheCreate(int pageSize, int extraSize, int purgeable) {
    GatewayPageCache *cache = sqlite3_malloc(sizeof *cache);
    if (cache == NULL) return NULL;
    cache->inner = sqliteMethods.xCreate(pageSize, extraSize, purgeable);
    if (cache->inner == NULL) {
        sqlite3_free(cache);
        return NULL;
    }
    cache->largestKey = 0;
    cache->lockBytePage = pageSize > 0 ? (unsigned int)(lockByteOffset / pageSize) + 1 : 0;
    return (sqlite3_pcache *)cache;
}

static void cacheSetSize(sqlite3_pcache *pcache, int pages) {
    sqliteMethods.xCachesize(((GatewayPageCache *)pcache)->inner, pages);
}

static int cachePageCount(sqlite3_pcache *pcache) {
    return sqliteMethods.xPagecount(((GatewayPageCache *)pcache)->inner);
}

static sqlite3_pcache_page *cacheFetch(sqlite3_pcache *pcache, unsigned int key, int create) {
    GatewayPageCache *cache = (GatewayPageCache *)pcache;
    // A fetch that may create counts, whatever the number (also the lock-byte page's, which the pager drops again).
    if (create != 0 && key > cache->largestKey) cache->largestKey = key;
    return sqliteMethods.xFetch(cache->inner, key, create);
}

static void cacheUnpin(sqlite3_pcache *pcache, sqlite3_pcache_page *page, int discard) {
    sqliteMethods.xUnpin(((GatewayPageCache *)pcache)->inner, page, discard);
}

static void cacheRekey(sqlite3_pcache *pcache, sqlite3_pcache_page *page, unsigned int oldKey, unsigned int newKey) {
    GatewayPageCache *cache = (GatewayPageCache *)pcache;
    if (newKey != cache->lockBytePage && newKey > cache->largestKey) cache->largestKey = newKey;
    sqliteMethods.xRekey(cache->inner, page, oldKey, newKey);
}

static void cacheTruncate(sqlite3_pcache *pcache, unsigned int limit) {
    GatewayPageCache *cache = (GatewayPageCache *)pcache;
    // Pages numbered `limit` and above go; when none can be, SQLite's cache would only look for them.
    if (limit > cache->largestKey && limit > 0) {
        atomic_fetch_add_explicit(&truncationsSkipped, 1, memory_order_relaxed);
        return;
    }
    atomic_fetch_add_explicit(&truncationsPassed, 1, memory_order_relaxed);
    sqliteMethods.xTruncate(cache->inner, limit);
    cache->largestKey = limit > 0 ? limit - 1 : 0;
}

static void cacheDestroy(sqlite3_pcache *pcache) {
    GatewayPageCache *cache = (GatewayPageCache *)pcache;
    sqliteMethods.xDestroy(cache->inner);
    sqlite3_free(cache);
}

static void cacheShrink(sqlite3_pcache *pcache) {
    sqliteMethods.xShrink(((GatewayPageCache *)pcache)->inner);
}

int gw_sqlite_install_page_cache(void) {
    int status = sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &sqliteMethods);
    if (status != SQLITE_OK) return status;
    if (sqliteMethods.xCreate == NULL || sqliteMethods.xFetch == NULL || sqliteMethods.xTruncate == NULL) {
        return SQLITE_ERROR;
    }
    static sqlite3_pcache_methods2 methods = {
        .iVersion = 1,
        .pArg = NULL,
        .xInit = cacheInit,
        .xShutdown = cacheShutdown,
        .xCreate = cacheCreate,
        .xCachesize = cacheSetSize,
        .xPagecount = cachePageCount,
        .xFetch = cacheFetch,
        .xUnpin = cacheUnpin,
        .xRekey = cacheRekey,
        .xTruncate = cacheTruncate,
        .xDestroy = cacheDestroy,
        .xShrink = cacheShrink,
    };
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods);
}

long long gw_sqlite_page_cache_truncations_passed(void) {
    return atomic_load_explicit(&truncationsPassed, memory_order_relaxed);
}

long long gw_sqlite_page_cache_truncations_skipped(void) {
    return atomic_load_explicit(&truncationsSkipped, memory_order_relaxed);
}
