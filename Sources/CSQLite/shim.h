#ifndef GATEWAY_CSQLITE_SHIM_H
#define GATEWAY_CSQLITE_SHIM_H
#include <sqlite3.h>
// SQLITE_TRANSIENT is a macro cast of -1 that Swift cannot import: tell SQLite to copy bound buffers.
static inline sqlite3_destructor_type gw_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
