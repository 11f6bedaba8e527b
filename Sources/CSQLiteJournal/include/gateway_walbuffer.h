#ifndef GATEWAY_WALBUFFER_H
#define GATEWAY_WALBUFFER_H

#include <sqlite3.h>

/// The URI parameter (`file:…?gateway_wal_buffer=1`) that makes a connection's write-ahead log gather its appends in
/// memory until SQLite syncs it. Only for connections at `synchronous` FULL or EXTRA, which sync the log at every
/// commit: at lower levels a commit would count before its frames reached the file.
#define GW_WAL_BUFFER_PARAMETER "gateway_wal_buffer"

/// The size of an open log file: the wrapper plus the platform's own file.
int gw_wal_file_size(const sqlite3_vfs *platform);

/// Opens the write-ahead log `name` through `platform`: wrapped, when its database was opened with the parameter
/// above, else the platform's own file as it is. Called by the gateway VFS for every file opened with
/// `SQLITE_OPEN_WAL`.
int gw_wal_open(sqlite3_vfs *platform, const char *name, sqlite3_file *file, int flags, int *outFlags);

#endif
