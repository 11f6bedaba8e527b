import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// Finds a message and a delivery status in each delivery, whose body is a key.
struct MessageAndStatusNormalizer: DeliveryNormalizer {
    var source: InboxSource { .whatsapp }

    func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        let key = String(decoding: delivery.body, as: UTF8.self)
        let message = InboundEvent.message(InboundMessage(id: "m-" + key, channelID: "p", accountID: nil,
                                                          senderPhone: "60123", timestamp: 1, type: .text, text: key))
        let status = InboundEvent.status(InboundStatus(messageID: "out-" + key, channelID: "p", accountID: nil,
                                                       state: .delivered, timestamp: 2, recipientPhone: "60123"))
        return NormalizationResult(items: [
            NormalizedItem(kind: "message", dedupeKey: "msg:" + key, occurredAt: 1, payload: message.toJSON()),
            NormalizedItem(kind: "status", dedupeKey: "status:" + key, occurredAt: 2, payload: status.toJSON()),
        ])
    }
}

extension XCTestCase {
    /// Appends a WhatsApp delivery whose body is `key` (public id `in_<key>`) to the inbox log and waits for its commit.
    func appendKeyedDelivery(_ key: String, to store: any GatewayStore) {
        let done = expectation(description: "appended")
        store.appendDelivery(NewDelivery(
            publicID: "in_" + key, source: .whatsapp, dedupeKey: "whatsapp:" + key, receivedAtMillis: 1_000,
            requestID: nil, traceparent: nil, body: Array(key.utf8), responseStatus: 200, responseBody: [])
        ) { _ in done.fulfill() }
        wait(for: [done], timeout: 10)
    }

    /// An inbound applier running `step` and a normalizer of keyed deliveries that hands it what it records. The
    /// applier's own polling pass runs once a minute (its first, at start, finds nothing): whatever is applied within a
    /// test was applied by the normalizer's recording.
    func recordingPipeline(_ store: any GatewayStore, step: any InboundItemStep)
        -> (applier: InboundItemApplier, normalizer: InboxNormalizer) {
        let applier = InboundItemApplier(database: store.database, steps: [step], metrics: MetricsRegistry(),
                                         clock: { 0 }, pollIntervalMilliseconds: 60_000, batchSize: 100)
        let normalizer = InboxNormalizer(store: store, normalizers: [MessageAndStatusNormalizer()],
                                         metrics: MetricsRegistry(), pollIntervalMilliseconds: 20, batchSize: 100,
                                         applier: applier)
        return (applier, normalizer)
    }

    /// Starts `applier` and waits for its first pass (right at start, it lists nothing), so whatever is applied after
    /// this was handed to it or applied by a normalizer's recording.
    func startApplier(_ applier: InboundItemApplier) {
        applier.start()
        Thread.sleep(forTimeInterval: 0.2)
        eventually("the applier's first pass is over") { !applier.isApplying }
    }

    /// Waits until `normalizer` recorded `count` logged deliveries (the cursor at the log's end) and counted its last
    /// pass.
    func waitUntilRecorded(_ count: Int, by normalizer: InboxNormalizer, in store: any GatewayStore) {
        eventually("the cursor reached the log's end") {
            try column("SELECT value FROM gateway_meta WHERE key = 'inbox_log_cursor'", in: store) == ["\(count)"]
                && !normalizer.isRecording
        }
    }

    /// The first column of the rows `sql` reads, as text.
    func column(_ sql: String, in store: any GatewayStore) throws -> [String] {
        try store.database.read { connection in
            try connection.query(sql).map { row in row.string(row.columnNames[0]) ?? "" }
        }
    }
}

/// A scratch store with a recording pipeline running `step` (``XCTestCase/recordingPipeline(_:step:)``), after the
/// statements `schema` (the tables the step writes to) ran on it; ``stop()`` stops the pipeline and removes the store.
final class RecordingScratch {
    let store: SQLiteGatewayStore
    let applier: InboundItemApplier
    let normalizer: InboxNormalizer
    private let directory: URL

    init(_ name: String, step: any InboundItemStep, schema: [String], in test: XCTestCase) throws {
        (store, directory) = try ScratchStore.open(name)
        (applier, normalizer) = test.recordingPipeline(store, step: step)
        try store.database.write { connection in
            for statement in schema { try connection.run(statement) }
        }
    }

    func stop() {
        normalizer.stop()
        applier.stop()
        ScratchStore.remove(store, directory)
    }
}

/// A test case on a ``RecordingScratch`` its `setUpWithError` makes; stopped after each test.
class RecordingTestCase: XCTestCase {
    var scratch: RecordingScratch!
    var store: SQLiteGatewayStore { scratch.store }
    var applier: InboundItemApplier { scratch.applier }
    var normalizer: InboxNormalizer { scratch.normalizer }

    override func tearDown() { scratch?.stop() }
}
