import CRM
import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import HTTPTesting
import XCTest

/// A gateway with a stub Omnichannel (refresh events) and a stub Chat Panel (chat history) on 127.0.0.1, for the
/// deal/ticket tests. The Chat Panel answers a two-message history unless a test scripts it otherwise.
package final class RecordsFixture: @unchecked Sendable {
    package static let history = #"{"messages":[{"sender":"Customer","text":"Hi, I need 3 POS terminals"},"# +
        #"{"sender":"Bot","text":"Great, I have created a deal for you"}]}"#
    package static let historyPreview = "Customer: Hi, I need 3 POS terminals\nBot: Great, I have created a deal for you"

    package let omnichannel: StubSink
    package let chatPanel: StubSink
    package let gateway: TestGateway

    /// - Parameter configure: adjust the config further (e.g. unset the Chat Panel URL).
    package init(chatPanel script: @escaping StubSink.Script = { _, _ in .status(200, body: RecordsFixture.history) },
         configure: (inout GatewayConfig) -> Void = { _ in }) throws {
        omnichannel = try StubSink()
        chatPanel = try StubSink(script: script)
        let omnichannelURL = omnichannel.url
        let chatPanelURL = chatPanel.url
        gateway = try TestGateway { config in
            config.adminToken = TestGateway.adminToken
            config.outbound[url: .omnichannel] = omnichannelURL + "/omnichannel"
            config.outbound[url: .chatPanel] = chatPanelURL + "/chat-panel"
            config.records.crmRecordURLBase = "https://crm.test/crm"
            config.records.roomURLBase = "https://chat.test/rooms"
            config.records.chatPanelTimeoutMilliseconds = 300
            config.records.chatPanelRetryDelayMilliseconds = 50
            config.outbound.pollIntervalMilliseconds = 50
            config.outbound.retryScheduleMilliseconds = [1_000]
            configure(&config)
        }
    }

    /// Omnichannel requests received, waiting (bounded) for at least `count`.
    @discardableResult
    package func events(_ count: Int, file: StaticString = #filePath, line: UInt = #line) -> [StubSink.Received] {
        omnichannel.waitForRequests(count, file: file, line: line)
    }

    /// The timeline entries of a record as the API lists them.
    package func timeline(_ kind: String, _ id: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> [JSONValue] {
        let response = try gateway.admin("GET", "/v1/timeline?\(kind)_id=\(id)", file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return response.json?["items"]?.arrayValue ?? []
    }

    /// Waits until every timeline entry's preview is settled.
    package func waitForSettledTimeline(file: StaticString = #filePath, line: UInt = #line) {
        eventually("timeline previews settled", file: file, line: line) {
            try gateway.count("timeline_entries", "preview_status = 'pending'") == 0
        }
    }

    package func room(_ roomID: String) throws -> JSONValue? {
        try gateway.admin("GET", "/v1/rooms/\(roomID)").json
    }
}

package extension StubSink.Received {
    var json: JSONValue? { try? JSONParser.parse(body) }
}
