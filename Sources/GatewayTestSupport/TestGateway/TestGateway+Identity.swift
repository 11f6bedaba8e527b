import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

package extension TestGateway {
    /// A gateway with the admin token set, the multi-BSUID toggle as given and, when given, a CRM events URL (without
    /// one, identity changes are not enqueued).
    static func identity(multiBSUID: Bool, crmEventsURL: String? = nil) throws -> TestGateway {
        try TestGateway { config in
            config.adminToken = adminToken
            config.multiBSUIDEnabled = multiBSUID
            config.outbound[url: .crm] = crmEventsURL
        }
    }

    /// A CRM events URL nobody answers: identity events stay in the outbox (retrying) where a test can read them.
    static var unansweredCRMEventsURL: String { "http://127.0.0.1:\(StubSink.unusedPort())/crm" }

    /// Waits (bounded) until the inbox is normalized and no identity item is pending.
    func waitForIdentity(file: StaticString = #filePath, line: UInt = #line) {
        waitForNormalization(file: file, line: line)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let pending = try? rows("""
                SELECT count(*) AS n FROM inbox_items
                WHERE status = 'pending' AND kind IN ('contact', 'message', 'echo', 'call', 'identity_change', 'preference')
                """)
            // A pass records its counters just after its items commit: wait for that too.
            if pending?.first?["n"] == "0", (try? app.store.inboxDepth()) == 0, !app.inboundApplier.isApplying { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTFail("identity items were not applied in time", file: file, line: line)
    }

    /// A contact API call with the admin bearer token (or `token`).
    @discardableResult
    func contacts(_ method: String, _ path: String, _ body: JSONValue? = nil, token: String? = TestGateway.adminToken,
                  file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try request(method, path, headers: headers, body: body.map(JSONWriter.bytes) ?? [], file: file, line: line)
    }
}

package extension JSONValue {
    /// Element `index` of an array value.
    func at(_ index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
