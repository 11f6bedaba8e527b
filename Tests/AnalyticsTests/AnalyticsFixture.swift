import Analytics
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import Ingress
import Storage
import XCTest

/// Tickets, CSAT answers, leads and renewals written straight into a test gateway's store with the times a test
/// chooses, so each figure can be worked out by hand.
struct AnalyticsFixture {
    let gateway: TestGateway

    private func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T {
        try gateway.app.store.database.write(work)
    }

    /// Unix ms of an RFC 3339 time with its offset, such as `2026-11-02T10:00:00+08:00`.
    static func at(_ text: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970 * 1000)
    }

    struct Ticket: Sendable {
        var opened: String
        var status = "open"
        var kind = "support"
        var queue = "support"
        var category: String?
        var agent: String?
        var fid: String?
        var oid: String?
        /// Seconds from opening to the first response, and its target.
        var firstResponse: Int64?
        var firstResponseTarget: Int64 = 300
        /// Seconds from opening to the resolution, and its target.
        var resolution: Int64?
        var resolutionTarget: Int64 = 8 * 3600
        var reopens = 0
        var ratings: [Int?] = []
    }

    /// The new ticket's id.
    @discardableResult
    func ticket(_ t: Ticket) throws -> Int64 {
        let opened = Self.at(t.opened)
        return try write { c in
            let row = try c.queryOne("""
                INSERT INTO tickets (unique_id, name, status, source, origin, created_at, updated_at, channel, kind,
                    queue, category, assignee, fid, oid, reopen_count, first_response_at, first_response_due_at,
                    resolved_at, resolution_due_at, conversation_key)
                VALUES (?, 'fixture', ?, 'whatsapp', 'whatsapp', ?, ?, 'whatsapp', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING id
                """, [.text(UUID().uuidString), .text(t.status), .integer(opened), .integer(opened), .text(t.kind),
                      .text(t.queue), SQLValue(t.category), SQLValue(t.agent), SQLValue(t.fid), SQLValue(t.oid),
                      .integer(Int64(t.reopens)), SQLValue(t.firstResponse.map { opened + $0 * 1000 }),
                      .integer(opened + t.firstResponseTarget * 1000),
                      SQLValue(t.resolution.map { opened + $0 * 1000 }), .integer(opened + t.resolutionTarget * 1000),
                      .text("cus_\(UUID().uuidString)")])
            let id = row!.int64("id")!
            // The mark the workflow writes for every ticket it opens.
            try AnalyticsMarks.mark(ticket: id, in: c)
            for (index, rating) in t.ratings.enumerated() {
                let survey = try c.queryOne("""
                    INSERT INTO csat_surveys (ticket_id, resolution, ticket_ref, conversation_key, assignee,
                        outbound_message_id, ticket_message_id, sent_at, expires_at)
                    VALUES (?, ?, ?, 'k', ?, 0, 0, ?, ?) RETURNING id
                    """, [.integer(id), .integer(Int64(index + 1)), .text("T-\(id)"), SQLValue(t.agent),
                          .integer(opened), .integer(opened + 86_400_000)])!.int64("id")!
                if let rating {
                    try c.run("""
                        INSERT INTO csat_response (survey_id, ticket_id, rating, source, wa_message_id, responded_at)
                        VALUES (?, ?, ?, 'button', ?, ?)
                        """, [.integer(survey), .integer(id), .integer(Int64(rating)), .text(UUID().uuidString),
                              .integer(opened)])
                }
            }
            return id
        }
    }

    /// A lead on ticket `id` from `source`, with an onboarding session in `onboarding` state (nil: none).
    func lead(_ id: Int64, source: String, onboarding: String?) throws {
        try write { c in
            try c.run("""
                INSERT INTO leads (ticket_id, source, created_by, created_at, updated_at) VALUES (?, ?, 'sales', 0, 0)
                """, [.integer(id), .text(source)])
            if let onboarding {
                try c.run("""
                    INSERT INTO onboarding_bookings (ticket_id, uid, status, starts_at, ends_at, owner, booked_by,
                        created_at, updated_at)
                    VALUES (?, ?, ?, 0, 0, 'ms', 'sales', 0, 0)
                    """, [.integer(id), .text(UUID().uuidString), .text(onboarding)])
            }
        }
    }

    /// A renewal cycle of outlet `oid` due on `due`, with one reminder sent when `reminded`.
    func renewal(oid: String, due: String, status: String, renewedAt: String? = nil, afterExpiry: Bool? = nil,
                 reminded: Bool = true) throws {
        try write { c in
            let id = try c.queryOne("""
                INSERT INTO renewals (oid, fid, due_date, status, renewed_at, renewed_after_expiry, created_at,
                    updated_at)
                VALUES (?, 'F1', ?, ?, ?, ?, 0, 0) RETURNING id
                """, [.text(oid), .text(due), .text(status), SQLValue(renewedAt.map(Self.at)),
                      SQLValue(afterExpiry.map { $0 ? 1 : 0 } as Int?)])!.int64("id")!
            if reminded {
                try c.run("""
                    INSERT INTO renewal_attempts (renewal_id, offset_days, scheduled_date, phone, result, created_at,
                        updated_at)
                    VALUES (?, -7, ?, '60123', 'sent', 0, 0)
                    """, [.integer(id), .text(due)])
            }
        }
    }
}
