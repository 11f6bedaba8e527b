import CRM
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import HTTPTesting
import Identity
import Ingress
import Storage
import XCTest

/// Helpers for the deal/ticket tests: signed commands, REST calls, contacts, and the rows the commands leave.
package extension TestGateway {
    /// Posts `{"type": type, "data": data}` signed to `/webhooks/chatbot` (or `path`) with a fresh webhook id.
    @discardableResult
    func command(_ type: String, _ data: String, path: String = "/webhooks/chatbot", id: String = UUID().uuidString,
                 file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        try postBot(path, Array(#"{"type":"\#(type)","data":\#(data)}"#.utf8), id: id)
    }

    /// Creates a deal through the chatbot webhook and returns its id (fails the test unless 201).
    func createDeal(_ data: String, path: String = "/webhooks/chatbot", file: StaticString = #filePath,
                    line: UInt = #line) throws -> Int64 {
        let response = try command("deal.created", data, path: path, file: file, line: line)
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try XCTUnwrap(response.json?["id"]?.int64Value, file: file, line: line)
    }

    func createTicket(_ data: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        let response = try command("ticket.created", data, file: file, line: line)
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try XCTUnwrap(response.json?["id"]?.int64Value, file: file, line: line)
    }

    /// Adds contacts to the directory (the contacts API arrives with identity).
    func addContacts(_ ids: String...) throws {
        let now = clock.now
        try app.store.database.write { connection in
            for id in ids { try KnownContacts.add(id, now: now, in: connection) }
        }
    }

    /// Moves the gateway's millisecond clock (record creation times, timeline retries) and wakes its workers.
    func advanceClock(milliseconds: Int64) {
        clock.advance(milliseconds: milliseconds)
        app.dispatcher.wake()
        app.timelineWorker.wake()
    }

    func count(_ table: String, _ condition: String = "TRUE") throws -> Int {
        Int(try rows("SELECT count(*) AS n FROM \(table) WHERE \(condition)").first?["n"] ?? "0") ?? 0
    }

    /// Outbox rows for Omnichannel, in enqueue order.
    func omnichannelOutbox() throws -> [[String: String]] {
        try rows("SELECT * FROM outbox WHERE endpoint = 'omnichannel' ORDER BY id")
    }
}
