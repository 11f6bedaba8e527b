import Storage

/// The inbox statements shared by the asynchronous path (append, normalize later) and the synchronous one (record
/// commands applied inside the request, whose delivery is stored already processed).
enum InboxTable {
    /// The first answer stored under `dedupeKey` (or else `otherKey`), if the delivery is known.
    static func storedResponse(dedupeKey: String, orKey otherKey: String? = nil,
                               in connection: any DatabaseConnection) throws -> (publicID: String, status: Int, body: [UInt8])? {
        let found: Row?
        if connection.dialect == .sqlite {
            // One probe of the unique index per key: `dedupe_key IN (?1, ?2)` makes SQLite build a temporary b-tree of
            // the two keys on every run, ~8 % of the writer's time per synchronous bot command.
            found = try connection.queryOne(Self.responseByKey, [.text(dedupeKey)])
                ?? otherKey.flatMap { try connection.queryOne(Self.responseByKey, [.text($0)]) }
        } else {
            // One round trip to the server for both keys.
            found = try connection.queryOne("""
                SELECT public_id, response_status, response_body FROM inbox WHERE dedupe_key IN (?1, ?2) LIMIT 1
                """, [.text(dedupeKey), .text(otherKey ?? dedupeKey)])
        }
        guard let row = found else { return nil }
        guard let publicID = row.string("public_id"), let status = row.int("response_status") else {
            throw StoreConsistencyError(detail: "inbox row \(dedupeKey) has no stored response")
        }
        return (publicID, status, row.blob("response_body") ?? [])
    }

    private static let responseByKey = "SELECT public_id, response_status, response_body FROM inbox WHERE dedupe_key = ?"

    /// Inserts `delivery` unless its dedupe key is known; true when inserted. `processedAt` set = the delivery was
    /// applied in the request and needs no normalization.
    static func insert(_ delivery: NewDelivery, processedAt: Int64? = nil, in connection: any DatabaseConnection) throws -> Bool {
        try connection.run("""
            INSERT INTO inbox (public_id, source, dedupe_key, received_at, request_id, traceparent, body,
                               response_status, response_body, status, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dedupe_key) DO NOTHING
            """, [
                .text(delivery.publicID), .text(delivery.source.rawValue), .text(delivery.dedupeKey),
                .integer(delivery.receivedAtMillis), SQLValue(delivery.requestID), SQLValue(delivery.traceparent),
                .blob(delivery.body), .integer(Int64(delivery.responseStatus)), .blob(delivery.responseBody),
                .text(processedAt == nil ? "pending" : "processed"), SQLValue(processedAt),
            ])
        return connection.changes == 1
    }
}
