import Storage

/// Migration 46: the download of each customer message's media (image, document, audio, video, sticker) — its
/// place in the download queue and, once done, what was stored or why not.
enum TicketMediaMigration {
    static let migration = Migration(version: 46, name: "ticket media downloads", sql: """
        -- One row per inbound ticket message with media, written when the message is filed. status: pending (waiting
        -- for a download attempt at next_attempt_at; an attempt in progress pushes it past its own deadline, so an
        -- attempt lost to a crash is simply tried again), stored (the file is under the media directory by sha256),
        -- failed (failure_reason: refused_type, too_large, sha256_mismatch, not_found, refused, gave_up, ...),
        -- expired (the retention sweep removed the file) or erased (the person's data was erased: file removed, media
        -- id forgotten). mime_type, sha256 and size_bytes describe the stored file.
        CREATE TABLE ticket_media (
            ticket_message_id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL,
            media_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('image', 'document', 'audio', 'video', 'sticker')),
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed', 'expired', 'erased')),
            failure_reason TEXT,
            failure_detail TEXT,
            mime_type TEXT,
            sha256 TEXT,
            size_bytes INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            stored_at INTEGER,
            expired_at INTEGER,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX ticket_media_due ON ticket_media (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX ticket_media_stored ON ticket_media (stored_at) WHERE status = 'stored';
        CREATE INDEX ticket_media_by_sha256 ON ticket_media (sha256) WHERE status = 'stored';
        """)
}
