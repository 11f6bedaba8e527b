#ifndef GATEWAY_SUBJOURNAL_H
#define GATEWAY_SUBJOURNAL_H

/// Makes the process's default SQLite VFS one that keeps savepoint and statement journals ("sub-journals") in a
/// single growing buffer per file, reused by the thread's next one, instead of SQLite's own in-memory journal, which
/// allocates them in 1 KiB pieces through `sqlite3_malloc` (a memory barrier each) and frees them at every release:
/// about a tenth of a busy writer's time. Write-ahead logs of databases opened with `gateway_wal_buffer=1` gather their
/// appends in memory until synced (`gateway_walbuffer.h`); everything else goes to the platform's default VFS
/// unchanged. Call once,
/// after `sqlite3_config` and before the first connection opens, together with `SQLITE_CONFIG_STMTJRNL_SPILL` 0 so
/// SQLite opens sub-journals through the VFS. Returns an SQLite result code.
int gw_sqlite_register_subjournal_vfs(void);

#endif
