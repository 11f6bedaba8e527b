import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import XCTest

/// Helpers for the ticket → outlet tests: outlets pushed through the POS API, the customer's pick from the outlet
/// list over the signed webhook, and the lists the stand-in Cloud API received.
package extension TestGateway {
    /// Pushes outlet `oid` (`POST /v1/pos/outlets/{oid}`) with `phones` as the POS wrote them.
    func pushOutlet(_ oid: String, name: String, phones: [String], fid: String = "F1", franchise: String = "Kopi Co",
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let body: JSONValue = ["fid": .string(fid), "franchise_name": .string(franchise), "name": .string(name),
                               "phones": .array(phones.map { .string($0) }), "expiry_date": "2027-12-31",
                               "status": "active"]
        let response = try admin("POST", "/v1/pos/outlets/\(oid)", body: JSONWriter.string(body), file: file, line: line)
        XCTAssertTrue([200, 201].contains(response.status), response.text, file: file, line: line)
    }

    /// The customer taps row `rowID` of a list (a signed `interactive` `list_reply`); waits until it is applied.
    @discardableResult
    func customerPicks(_ rowID: String, title: String = "Kopi Co Bangsar", phone: String? = "60123456789",
                       id: String = "wamid.\(UUID().uuidString)", file: StaticString = #filePath,
                       line: UInt = #line) throws -> String {
        try customerSends(WhatsAppBodyBuilder.message(
            id: id, phone: phone, bsuid: nil, name: "Aisyah", timestamp: messageTimestamp, type: "interactive",
            content: ["type": "list_reply", "list_reply": ["id": .string(rowID), "title": .string(title)]]),
            file: file, line: line)
        return id
    }

    /// `POST /v1/tickets/{id}/outlet` with a raw body.
    @discardableResult
    func linkOutlet(_ id: Int64, _ body: String, file: StaticString = #filePath,
                    line: UInt = #line) throws -> ClientResponse {
        try admin("POST", "/v1/tickets/\(id)/outlet", body: body, file: file, line: line)
    }

    /// The ticket as `GET /v1/tickets/{id}` answers it.
    func ticket(_ id: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let response = try admin("GET", "/v1/tickets/\(id)", file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return try XCTUnwrap(response.json, file: file, line: line)
    }

    /// `contact_outlet` rows of every contact as `contact|oid|method`, sorted.
    func contactOutlets() throws -> [String] {
        try rows("SELECT contact_id, oid, method FROM contact_outlet ORDER BY contact_id, oid").map {
            "\($0["contact_id"] ?? "")|\($0["oid"] ?? "")|\($0["method"] ?? "")"
        }
    }

    /// A counter of the outlet-resolution series.
    func outletResolutions(_ outcome: String) -> Double {
        app.metrics.counter(TicketOutletMetrics.resolutions, [("outcome", outcome)])
    }
}

package extension StubSink {
    /// Waits until the stub has received `count` requests; returns them.
    @discardableResult
    func waitForRequests(_ count: Int, file: StaticString = #filePath, line: UInt = #line) -> [Received] {
        eventually("\(count) Cloud API requests", file: file, line: line) { received.count >= count }
        return received
    }
}
