#ifndef GATEWAY_PAGECACHE_H
#define GATEWAY_PAGECACHE_H

/// Installs the process's SQLite page cache: SQLite's own (`pcache1`), with its truncation skipped when no page can
/// be past the truncation point.
///
/// At the end of every transaction SQLite truncates the page cache to the database's size. Its cache remembers the
/// largest page number it ever held and scans its whole hash table (every bucket and page, thousands with a writer's
/// large cache) whenever that number is far past the size. B-tree balancing renumbers pages through a temporary
/// number, the lock-byte page (1 GiB into the file), so after most page splits the remembered number is far past the
/// size and the next commit scans the whole cache: a fixed cost per transaction, several microseconds per operation
/// in small write batches. This wrapper keeps the largest page number a page can actually have (the temporary number
/// does not count: balancing gives the page its real number back before it returns) and passes a truncation on only
/// when a page may be at or past its point. Everything else goes to SQLite's cache unchanged.
///
/// Call once, before SQLite is initialized (with the other `sqlite3_config` calls). Returns an SQLite result code.
int gw_sqlite_install_page_cache(void);

/// Truncations passed on to SQLite's cache, and skipped because no page could be past their point, since the
/// process started (for tests and diagnostics).
long long gw_sqlite_page_cache_truncations_passed(void);
long long gw_sqlite_page_cache_truncations_skipped(void);

#endif
