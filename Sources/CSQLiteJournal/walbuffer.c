#include "gateway_walbuffer.h"

#include <stdlib.h>
#include <string.h>

/// A write-ahead log whose appends are gathered in memory and handed to the platform file in pieces of up to
/// `bufferCapacity` bytes. SQLite writes every frame of the log as two writes, its 24-byte header and its page, so a
/// commit of a few hundred pages is a few hundred pairs of system calls, each page straddling two of the kernel's;
/// gathered, it is a handful of writes of whole runs of frames.
///
/// Nothing is acknowledged from the buffer: SQLite syncs the log before a commit counts (`synchronous` FULL or
/// EXTRA, the only levels that open the log this way), and the sync writes the buffer out first. Whatever else looks
/// at the file — a read (the writer reading back a page it spilled), its size, a truncation, a file control, closing —
/// writes the buffer out first too, so the file always reads as if every write had gone straight to it.
typedef struct WALFile {
    sqlite3_file base;
    /// The platform's own file, right after this struct.
    sqlite3_file *platform;
    /// Gathered bytes, written at `start` in the file; allocated at the first write (readers never write the log).
    unsigned char *bytes;
    sqlite3_int64 start;
    int length;
} WALFile;

/// Below the 128 KiB the Unix file layer writes at most per call (it masks larger amounts and reports the disk full).
static const int bufferCapacity = 120 * 1024;

static int walFlush(WALFile *wal) {
    if (wal->length == 0) return SQLITE_OK;
    int rc = wal->platform->pMethods->xWrite(wal->platform, wal->bytes, wal->length, wal->start);
    wal->length = 0;
    return rc;
}

static int walClose(sqlite3_file *file) {
    WALFile *wal = (WALFile *)file;
    int rc = walFlush(wal);
    free(wal->bytes);
    wal->bytes = NULL;
    int closed = wal->platform->pMethods->xClose(wal->platform);
    return rc != SQLITE_OK ? rc : closed;
}

static int walRead(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset) {
    WALFile *wal = (WALFile *)file;
    if (wal->length > 0 && offset < wal->start + wal->length && offset + amount > wal->start) {
        int rc = walFlush(wal);
        if (rc != SQLITE_OK) return rc;
    }
    return wal->platform->pMethods->xRead(wal->platform, buffer, amount, offset);
}

static int walWrite(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset) {
    WALFile *wal = (WALFile *)file;
    // Inside the buffer or right after what it holds (an append, or a page rewritten in place), and still fitting.
    if (wal->length > 0 && offset >= wal->start && offset <= wal->start + wal->length
        && offset + amount <= wal->start + bufferCapacity) {
        memcpy(wal->bytes + (offset - wal->start), buffer, (size_t)amount);
        int end = (int)(offset + amount - wal->start);
        if (end > wal->length) wal->length = end;
        return SQLITE_OK;
    }
    int rc = walFlush(wal);
    if (rc != SQLITE_OK) return rc;
    if (amount > bufferCapacity) return wal->platform->pMethods->xWrite(wal->platform, buffer, amount, offset);
    if (wal->bytes == NULL) {
        wal->bytes = malloc((size_t)bufferCapacity);
        if (wal->bytes == NULL) return wal->platform->pMethods->xWrite(wal->platform, buffer, amount, offset);
    }
    memcpy(wal->bytes, buffer, (size_t)amount);
    wal->start = offset;
    wal->length = amount;
    return SQLITE_OK;
}

static int walTruncate(sqlite3_file *file, sqlite3_int64 size) {
    WALFile *wal = (WALFile *)file;
    int rc = walFlush(wal);
    return rc != SQLITE_OK ? rc : wal->platform->pMethods->xTruncate(wal->platform, size);
}

static int walSync(sqlite3_file *file, int flags) {
    WALFile *wal = (WALFile *)file;
    int rc = walFlush(wal);
    return rc != SQLITE_OK ? rc : wal->platform->pMethods->xSync(wal->platform, flags);
}

static int walFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    WALFile *wal = (WALFile *)file;
    int rc = walFlush(wal);
    return rc != SQLITE_OK ? rc : wal->platform->pMethods->xFileSize(wal->platform, size);
}

static int walLock(sqlite3_file *file, int level) {
    WALFile *wal = (WALFile *)file;
    return wal->platform->pMethods->xLock(wal->platform, level);
}

static int walUnlock(sqlite3_file *file, int level) {
    WALFile *wal = (WALFile *)file;
    return wal->platform->pMethods->xUnlock(wal->platform, level);
}

static int walCheckReservedLock(sqlite3_file *file, int *reserved) {
    WALFile *wal = (WALFile *)file;
    return wal->platform->pMethods->xCheckReservedLock(wal->platform, reserved);
}

static int walFileControl(sqlite3_file *file, int op, void *argument) {
    WALFile *wal = (WALFile *)file;
    int rc = walFlush(wal);
    return rc != SQLITE_OK ? rc : wal->platform->pMethods->xFileControl(wal->platform, op, argument);
}

static int walSectorSize(sqlite3_file *file) {
    WALFile *wal = (WALFile *)file;
    return wal->platform->pMethods->xSectorSize(wal->platform);
}

static int walDeviceCharacteristics(sqlite3_file *file) {
    WALFile *wal = (WALFile *)file;
    return wal->platform->pMethods->xDeviceCharacteristics(wal->platform);
}

// The shared-memory and memory-map methods belong to the database file; a log never uses them. They are passed on
// all the same, so the wrapper answers whatever the platform's file would.
static int walShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory) {
    WALFile *wal = (WALFile *)file;
    if (wal->platform->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
    return wal->platform->pMethods->xShmMap(wal->platform, region, size, extend, memory);
}

static int walShmLock(sqlite3_file *file, int offset, int count, int flags) {
    WALFile *wal = (WALFile *)file;
    if (wal->platform->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
    return wal->platform->pMethods->xShmLock(wal->platform, offset, count, flags);
}

static void walShmBarrier(sqlite3_file *file) {
    WALFile *wal = (WALFile *)file;
    if (wal->platform->pMethods->iVersion >= 2) wal->platform->pMethods->xShmBarrier(wal->platform);
}

static int walShmUnmap(sqlite3_file *file, int deleteFlag) {
    WALFile *wal = (WALFile *)file;
    if (wal->platform->pMethods->iVersion < 2) return SQLITE_OK;
    return wal->platform->pMethods->xShmUnmap(wal->platform, deleteFlag);
}

static int walFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **page) {
    WALFile *wal = (WALFile *)file;
    *page = NULL;
    if (wal->platform->pMethods->iVersion < 3) return SQLITE_OK;
    int rc = walFlush(wal);
    return rc != SQLITE_OK ? rc : wal->platform->pMethods->xFetch(wal->platform, offset, amount, page);
}

static int walUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    WALFile *wal = (WALFile *)file;
    if (wal->platform->pMethods->iVersion < 3) return SQLITE_OK;
    return wal->platform->pMethods->xUnfetch(wal->platform, offset, page);
}

static const sqlite3_io_methods walMethods = {
    3,
    walClose,
    walRead,
    walWrite,
    walTruncate,
    walSync,
    walFileSize,
    walLock,
    walUnlock,
    walCheckReservedLock,
    walFileControl,
    walSectorSize,
    walDeviceCharacteristics,
    walShmMap,
    walShmLock,
    walShmBarrier,
    walShmUnmap,
    walFetch,
    walUnfetch,
};

int gw_wal_file_size(const sqlite3_vfs *platform) {
    return (int)sizeof(WALFile) + platform->szOsFile;
}

int gw_wal_open(sqlite3_vfs *platform, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    if (name == NULL || !sqlite3_uri_boolean(name, GW_WAL_BUFFER_PARAMETER, 0)) {
        return platform->xOpen(platform, name, file, flags, outFlags);
    }
    WALFile *wal = (WALFile *)file;
    memset(wal, 0, sizeof *wal);
    wal->platform = (sqlite3_file *)(wal + 1);
    memset(wal->platform, 0, (size_t)platform->szOsFile);
    int rc = platform->xOpen(platform, name, wal->platform, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (wal->platform->pMethods != NULL) wal->platform->pMethods->xClose(wal->platform);
        wal->base.pMethods = NULL;
        return rc;
    }
    wal->base.pMethods = &walMethods;
    return SQLITE_OK;
}
