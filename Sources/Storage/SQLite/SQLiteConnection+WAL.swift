import CSQLite

extension SQLiteConnection {
    /// Turns SQLite's automatic checkpoint off for this connection and has each of its commits leave the
    /// write-ahead log's length in ``walFrames``; whoever owns the connection decides when to checkpoint
    /// (``SQLiteCheckpointer``).
    func reportWALLength() {
        guard let database else { return }
        // The context is the connection itself: SQLite calls back only while it commits on this connection.
        sqlite3_wal_hook(database, { context, _, _, frames in
            if let context { Unmanaged<SQLiteConnection>.fromOpaque(context).takeUnretainedValue().walFrames = frames }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Copies what it can of the write-ahead log into the database file without waiting for anyone (a `PASSIVE`
    /// checkpoint); how far into the log it got (frames), or nil when it did not run (another checkpoint was running,
    /// an I/O error: the pages stay in the log, where they are safe).
    func checkpointPassively() -> Int32? {
        guard let database else { return nil }
        var log: Int32 = 0
        var copied: Int32 = 0
        guard sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK
        else { return nil }
        return copied
    }
}
