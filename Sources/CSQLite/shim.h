#ifndef GATEWAY_CSQLITE_SHIM_H
#define GATEWAY_CSQLITE_SHIM_H
#include <sqlite3.h>
// SQLITE_TRANSIENT is a macro cast of -1 that Swift cannot import: tell SQLite to copy bound buffers.
static inline sqlite3_destructor_type gw_sqlite_transient(void) { return SQLITE_TRANSIENT; }
// sqlite3_config is variadic, which Swift cannot call; both take effect only before sqlite3_initialize.
// Memory statistics off: with them on, every allocation SQLite makes takes a process-wide mutex.
static inline int gw_sqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
// Savepoint and statement journals stay in memory up to `bytes` before spilling to a temporary file (negative: always
// in memory).
static inline int gw_sqlite_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
#endif
