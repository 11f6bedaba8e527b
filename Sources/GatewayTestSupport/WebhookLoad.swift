import Foundation
import GatewayTesting
import HTTPClient
import WhatsAppAdapter

/// Keeps `concurrency` signed WhatsApp deliveries in flight against gateways (round robin over `ports`) until stopped,
/// each a new message id; records the ids acknowledged with 200 — what a kill -9 test checks is in the store after.
package final class WebhookLoad: @unchecked Sendable {
    private let ports: [UInt16]
    private let client: CurlMultiClient
    private let acknowledged: LockedArray<String>
    private let sequence = NSLock()
    private var next = 0
    private var stopped = false
    private let group = DispatchGroup()

    package init(ports: [UInt16], client: CurlMultiClient, acknowledged: LockedArray<String>) {
        self.ports = ports
        self.client = client
        self.acknowledged = acknowledged
    }

    package func start(concurrency: Int) {
        for _ in 0..<concurrency { send() }
    }

    /// Stops sending and waits for the requests still in flight to finish (they fail once the process is gone).
    package func stop() {
        sequence.lock()
        stopped = true
        sequence.unlock()
        _ = group.wait(timeout: .now() + 30)
    }

    private func send() {
        sequence.lock()
        guard !stopped else { sequence.unlock(); return }
        let i = next
        next += 1
        sequence.unlock()
        let id = "wamid.k\(i)"
        let body = Array(#"{"object":"whatsapp_business_account","entry":[{"id":"w","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1"},"messages":[{"from":"601234567\#(i % 8)","id":"\#(id)","timestamp":"1700000000","type":"text","text":{"body":"kill"}}]}}]}]}"#.utf8)
        let request = ClientRequest(method: "POST", url: "http://127.0.0.1:\(ports[i % ports.count])/webhooks/whatsapp",
                                    headers: [("X-Hub-Signature-256", MetaSignatureVerifier.sign(body: body, appSecret: TestGateway.appSecret))],
                                    body: body, connectTimeout: 1, totalTimeout: 5)
        group.enter()
        client.execute(request) { [self] result in
            if case .success(let response) = result, response.status == 200 {
                acknowledged.append(id)
                send()
            }
            group.leave()
        }
    }
}
