#include "gateway_subjournal.h"
#include "gateway_walbuffer.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/// A sub-journal: the bytes SQLite wrote, in one buffer that grows by doubling. Only the connection's own thread
/// touches it. SQLite rewrites a sub-journal from offset 0 after its outermost savepoint is released, so within a
/// transaction the buffer grows to the largest operation's changed pages, not to the transaction's.
typedef struct SubjournalFile {
    sqlite3_file base;
    unsigned char *bytes;
    sqlite3_int64 size;
    sqlite3_int64 capacity;
} SubjournalFile;

/// A closed sub-journal's buffer, kept for the thread's next one (SQLite closes it at the end of every
/// transaction); one past `keptCapacityLimit` (a large import) is freed instead.
static _Thread_local unsigned char *keptBytes;
static _Thread_local sqlite3_int64 keptCapacity;
static const sqlite3_int64 keptCapacityLimit = 8 * 1024 * 1024;
static const sqlite3_int64 initialCapacity = 64 * 1024;

static sqlite3_vfs *platformVFS;
static sqlite3_vfs gatewayVFS;

static int subjournalClose(sqlite3_file *file) {
    SubjournalFile *journal = (SubjournalFile *)file;
    if (journal->bytes != NULL && keptBytes == NULL && journal->capacity <= keptCapacityLimit) {
        keptBytes = journal->bytes;
        keptCapacity = journal->capacity;
    } else {
        free(journal->bytes);
    }
    journal->bytes = NULL;
    journal->size = 0;
    journal->capacity = 0;
    return SQLITE_OK;
}

static int subjournalRead(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset) {
    SubjournalFile *journal = (SubjournalFile *)file;
    if (offset < 0 || amount < 0) return SQLITE_IOERR_READ;
    if (offset + amount > journal->size) {
        sqlite3_int64 available = journal->size > offset ? journal->size - offset : 0;
        if (available > 0) memcpy(buffer, journal->bytes + offset, (size_t)available);
        memset((unsigned char *)buffer + available, 0, (size_t)(amount - available));
        return SQLITE_IOERR_SHORT_READ;
    }
    memcpy(buffer, journal->bytes + offset, (size_t)amount);
    return SQLITE_OK;
}

static int subjournalWrite(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset) {
    SubjournalFile *journal = (SubjournalFile *)file;
    if (offset < 0 || amount < 0) return SQLITE_IOERR_WRITE;
    sqlite3_int64 end = offset + amount;
    if (end > journal->capacity) {
        sqlite3_int64 capacity = journal->capacity > 0 ? journal->capacity : initialCapacity;
        while (capacity < end) capacity *= 2;
        unsigned char *grown = realloc(journal->bytes, (size_t)capacity);
        if (grown == NULL) return SQLITE_IOERR_NOMEM;
        journal->bytes = grown;
        journal->capacity = capacity;
    }
    if (offset > journal->size) memset(journal->bytes + journal->size, 0, (size_t)(offset - journal->size));
    memcpy(journal->bytes + offset, buffer, (size_t)amount);
    if (end > journal->size) journal->size = end;
    return SQLITE_OK;
}

static int subjournalTruncate(sqlite3_file *file, sqlite3_int64 size) {
    SubjournalFile *journal = (SubjournalFile *)file;
    if (size < journal->size) journal->size = size < 0 ? 0 : size;
    return SQLITE_OK;
}

static int subjournalSync(sqlite3_file *file, int flags) {
    (void)file;
    (void)flags;
    return SQLITE_OK;
}

static int subjournalFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    *size = ((SubjournalFile *)file)->size;
    return SQLITE_OK;
}

static int subjournalLock(sqlite3_file *file, int level) {
    (void)file;
    (void)level;
    return SQLITE_OK;
}

static int subjournalCheckReservedLock(sqlite3_file *file, int *reserved) {
    (void)file;
    *reserved = 0;
    return SQLITE_OK;
}

static int subjournalFileControl(sqlite3_file *file, int op, void *argument) {
    (void)file;
    (void)op;
    (void)argument;
    return SQLITE_NOTFOUND;
}

static int subjournalSectorSize(sqlite3_file *file) {
    (void)file;
    return 512;
}

static int subjournalDeviceCharacteristics(sqlite3_file *file) {
    (void)file;
    return 0;
}

static const sqlite3_io_methods subjournalMethods = {
    1,
    subjournalClose,
    subjournalRead,
    subjournalWrite,
    subjournalTruncate,
    subjournalSync,
    subjournalFileSize,
    subjournalLock,
    subjournalLock,
    subjournalCheckReservedLock,
    subjournalFileControl,
    subjournalSectorSize,
    subjournalDeviceCharacteristics,
    NULL, NULL, NULL, NULL, NULL, NULL,
};

static int gatewayOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    if ((flags & SQLITE_OPEN_WAL) != 0) return gw_wal_open(platformVFS, name, file, flags, outFlags);
    if ((flags & SQLITE_OPEN_SUBJOURNAL) == 0) return platformVFS->xOpen(platformVFS, name, file, flags, outFlags);
    SubjournalFile *journal = (SubjournalFile *)file;
    memset(journal, 0, sizeof *journal);
    journal->bytes = keptBytes;
    journal->capacity = keptCapacity;
    keptBytes = NULL;
    keptCapacity = 0;
    journal->base.pMethods = &subjournalMethods;
    if (outFlags != NULL) *outFlags = flags;
    return SQLITE_OK;
}

int gw_sqlite_register_subjournal_vfs(void) {
    if (platformVFS != NULL) return SQLITE_OK;
    sqlite3_vfs *platform = sqlite3_vfs_find(NULL);
    if (platform == NULL) return SQLITE_ERROR;
    platformVFS = platform;
    // Every other method is the platform's own, called with this VFS: the Unix ones read nothing from it but its
    // path limit and application data, both copied.
    gatewayVFS = *platform;
    gatewayVFS.pNext = NULL;
    gatewayVFS.zName = "gateway";
    gatewayVFS.xOpen = gatewayOpen;
    if (gatewayVFS.szOsFile < (int)sizeof(SubjournalFile)) gatewayVFS.szOsFile = (int)sizeof(SubjournalFile);
    if (gatewayVFS.szOsFile < gw_wal_file_size(platform)) gatewayVFS.szOsFile = gw_wal_file_size(platform);
    return sqlite3_vfs_register(&gatewayVFS, 1);
}
