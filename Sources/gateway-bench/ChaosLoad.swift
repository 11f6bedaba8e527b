import Foundation
import GatewayTesting
import HTTPClient

/// `gateway-bench chaos-load`: the client side of `scripts/chaos.sh`. Keeps `--connections` signed WhatsApp
/// deliveries in flight at `--url` for `--seconds` while the script kills, restarts or starves the gateway behind it.
/// Every request is a new message (`wamid.<prefix>.<n>`); `--per-sender` consecutive messages share a sender, so
/// identity and tickets see both new and known senders, concurrently. Nothing is retried: a failed request is just
/// not acknowledged, and the connection pauses briefly before its next new message.
///
/// The id of every delivery answered 200 goes to `--log` (one a line, as soon as the answer arrives), of every
/// documented refusal — a 503 problem+json with `Retry-After` — to `--refused-log`. The counts are printed as
/// `key=value` lines: acknowledged, refused, transport_errors (no answer: the gateway was down) and unexpected
/// (any other answer, the first few shown in `unexpected_sample` lines).
struct ChaosLoad {
    let options: BenchOptions

    func run() -> Int32 {
        let url = options.string("url", default: "http://127.0.0.1:8080/webhooks/whatsapp")
        let secret = options.string("secret", default: WhatsAppPayload.appSecret)
        let perSender = max(1, options.int("per-sender", default: 3))
        let prefix = options.string("prefix", default: "chaos")
        let ackedPath = options.string("log", default: "acked.txt")
        let refusedPath = options.string("refused-log", default: "")
        guard let tally = AnswerTally(ackedPath: ackedPath, refusedPath: refusedPath.isEmpty ? nil : refusedPath) else {
            FileHandle.standardError.write(Data("chaos-load: cannot write \(ackedPath) \(refusedPath)\n".utf8))
            return 1
        }
        var load = LoadGenerator(connections: options.int("connections", default: 16),
                                 seconds: options.double("seconds", default: 30)) { n in
            let body = WhatsAppBodyBuilder.message(
                id: Self.messageID(prefix, n), phone: String(format: "60199%07d", n / perSender), bsuid: nil,
                name: "Chaos sender \(n / perSender)", timestamp: Int64(Date().timeIntervalSince1970),
                text: "POS at outlet \(n % 97) shows error E\(n % 50), receipts do not print")
            return ClientRequest(method: "POST", url: url, headers: SignedWebhook.whatsApp(body, appSecret: secret),
                                 body: body, connectTimeout: 1, totalTimeout: 10)
        }
        load.warmsUp = false
        load.pauseAfterFailure = 0.05
        load.onAnswer = { n, result in tally.record(Self.messageID(prefix, n), result) }
        _ = load.run()
        print(tally.report, terminator: "")
        return 0
    }

    static func messageID(_ prefix: String, _ n: Int) -> String { "wamid.\(prefix).\(n)" }
}

/// The answers of a chaos run, counted and logged from the client's completion thread.
private final class AnswerTally: @unchecked Sendable {
    private let lock = NSLock()
    private let acked: FileHandle
    private let refused: FileHandle?
    private var counts = ["acknowledged": 0, "refused": 0, "transport_errors": 0, "unexpected": 0]
    private var samples: [String] = []

    init?(ackedPath: String, refusedPath: String?) {
        func open(_ path: String) -> FileHandle? {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
            return FileHandle(forWritingAtPath: path)
        }
        guard let acked = open(ackedPath) else { return nil }
        self.acked = acked
        refused = refusedPath.flatMap(open)
        if refusedPath != nil && refused == nil { return nil }
    }

    func record(_ id: String, _ result: Result<ClientResponse, ClientError>) {
        lock.lock()
        defer { lock.unlock() }
        switch result {
        case .failure:
            counts["transport_errors", default: 0] += 1
        case .success(let response) where response.status == 200:
            counts["acknowledged", default: 0] += 1
            acked.write(Data("\(id)\n".utf8))
        case .success(let response) where response.status == 503
            && response.header("Content-Type") == "application/problem+json" && response.header("Retry-After") != nil:
            counts["refused", default: 0] += 1
            refused?.write(Data("\(id)\n".utf8))
        case .success(let response):
            counts["unexpected", default: 0] += 1
            if samples.count < 5 {
                let body = String(decoding: response.body.prefix(200), as: UTF8.self)
                samples.append("\(id) \(response.status) \(response.header("Content-Type") ?? "-") "
                               + "retry-after=\(response.header("Retry-After") ?? "-") \(body)")
            }
        }
    }

    var report: String {
        lock.lock()
        defer { lock.unlock() }
        return counts.keys.sorted().map { "\($0)=\(counts[$0]!)\n" }.joined()
            + samples.map { "unexpected_sample=\($0.replacingOccurrences(of: "\n", with: " "))\n" }.joined()
    }
}
