/// The parsers of outside input that the fuzzers drive, each by one entry function taking raw bytes. The same
/// functions run under libFuzzer (`gateway-fuzz` built with `-D FUZZING`), in corpus replays (`gateway-fuzz <target>
/// <files>`) and in the deterministic mutation run of `swift test` (`FuzzTests`).
///
/// An entry function answers how the input was judged — accepted, or refused with the parser's own typed error —
/// and throws a ``FuzzFinding`` when a property that must hold for every input does not (an untyped error, an error
/// that names no field, a round trip that changes the value, a secret in an error message). A crash is a finding too:
/// it stops the process, which libFuzzer records and `swift test` reports as a failed run.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONParser.parse` on any bytes; a parsed value survives `JSONWriter` and a second parse unchanged.
    case json
    /// `WhatsAppEnvelope.validate` and `WhatsAppWebhookNormalizer().normalize(_:)` on a webhook body.
    case whatsapp
    /// `StandardWebhookVerifier.verify` with the input split into `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature` and the body.
    case webhookSignature = "webhook-signature"
    /// `OutletCSVReader.read` on a POS CSV export.
    case posCSV = "pos-csv"
    /// `OutletJSONReader.read` on a POS JSON document.
    case posJSON = "pos-json"
    /// `ConfigLoader.apply(json:origin:to:)` on a default `GatewayConfig`.
    case config

    /// Runs one input through this target's parser and checks the properties every input must keep.
    public func run(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        switch self {
        case .json: return try JSONFuzzing.run(bytes)
        case .whatsapp: return try WhatsAppFuzzing.run(bytes)
        case .webhookSignature: return try SignatureFuzzing.run(bytes)
        case .posCSV: return try POSFuzzing.runCSV(bytes)
        case .posJSON: return try POSFuzzing.runJSON(bytes)
        case .config: return try ConfigFuzzing.run(bytes)
        }
    }

    /// The folder of this target's seed inputs under `Fuzz/corpus/`.
    public var corpusFolder: String { rawValue }
}

/// How a parser judged one input.
public enum FuzzOutcome: Sendable, Equatable {
    case accepted
    /// Refused with the parser's typed error, described as the caller would see it.
    case refused(String)

    public var isAccepted: Bool { self == .accepted }
}

/// A property that must hold for every input did not: the input is a bug report.
public struct FuzzFinding: Error, Sendable, Equatable, CustomStringConvertible {
    public let target: String
    public let problem: String

    public init(_ target: FuzzTarget, _ problem: String) {
        self.target = target.rawValue
        self.problem = problem
    }

    public var description: String { "\(target): \(problem)" }
}
