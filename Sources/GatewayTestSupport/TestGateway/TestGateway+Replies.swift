import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// Helpers for agent replies and CSAT: replies over the API, survey button taps over the signed webhook, and reads
/// of what the stand-in Cloud API received.
package extension TestGateway {
    /// `POST /v1/tickets/{id}/messages` with `body` (and an `Idempotency-Key` when given).
    @discardableResult
    func reply(_ id: Int64, _ body: String, idempotencyKey: String? = nil, file: StaticString = #filePath,
               line: UInt = #line) throws -> ClientResponse {
        let token = try actorToken(forBody: body, file: file, line: line)
        var headers: [(String, String)] = [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return try request("POST", "/v1/tickets/\(id)/messages", headers: headers, body: Array(body.utf8),
                           file: file, line: line)
    }

    /// Moves the ticket to `status` as agent-7 and fails the test unless that succeeds.
    func move(_ id: Int64, to status: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try ticketAction(id, "status", #"{"status":"\#(status)","actor":"agent-7"}"#, file: file,
                                        line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
    }

    /// The customer taps a quick-reply button carrying `payload` (a template `button` message) and it is applied.
    @discardableResult
    func customerTaps(_ payload: String, title: String = "5", phone: String = "60123456789",
                      id: String = "wamid.\(UUID().uuidString)", file: StaticString = #filePath,
                      line: UInt = #line) throws -> String {
        try customerSends(WhatsAppBodyBuilder.message(id: id, phone: phone, bsuid: nil, name: "Aisyah",
                                                      timestamp: messageTimestamp, type: "button",
                                                      content: ["payload": .string(payload), "text": .string(title)]),
                          file: file, line: line)
        return id
    }

    /// `gateway_csat_replies_total{outcome}`.
    func csatReplies(_ outcome: String) -> Double {
        app.metrics.counter("gateway_csat_replies_total", [("outcome", outcome)])
    }

    /// The rows of `csat_response`, oldest first.
    func csatResponses() throws -> [[String: String]] {
        try rows("SELECT survey_id, ticket_id, rating, source, comment FROM csat_response ORDER BY id")
    }

    /// `GET /v1/csat?<query>`.
    func csatReport(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        try admin("GET", "/v1/csat?\(query)", file: file, line: line)
    }
}

/// Exact Cloud API bodies the gateway sends for ticket messages (keys sorted, as the gateway writes them).
package enum CloudAPIBody {
    package static func text(_ body: String, to: String = "60123456789") -> String {
        #"{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"\#(body)"},"to":"\#(to)","type":"text"}"#
    }

    package static func csatSurvey(name: String, ref: String, language: String = "en", to: String = "60123456789") -> String {
        let buttons = (1...5).map { n in
            #"{"index":"\#(n - 1)","parameters":[{"payload":"csat:\#(ref):\#(n)","type":"payload"}],"sub_type":"quick_reply","type":"button"}"#
        }.joined(separator: ",")
        return #"{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"\#(name)","type":"text"},{"text":"\#(ref)","type":"text"}],"type":"body"},"#
            + buttons + #"],"language":{"code":"\#(language)"},"name":"csat_request"},"to":"\#(to)","type":"template"}"#
    }

    package static func followUp(name: String, ref: String, language: String = "en", to: String = "60123456789") -> String {
        #"{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"\#(name)","type":"text"},{"text":"\#(ref)","type":"text"}],"type":"body"}],"language":{"code":"\#(language)"},"name":"support_followup"},"to":"\#(to)","type":"template"}"#
    }
}
