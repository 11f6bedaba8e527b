import Delivery
import Messaging
/// Reads Cloud API refusals by their error code rather than their HTTP status: Meta answers most of them — rate
/// limits included — with HTTP 400 and puts the meaning in `error.code`.
///
/// | code | meaning | verdict |
/// |---|---|---|
/// | 130429, 4, 80007 | throughput / app / account rate limit | retry on the schedule (a `Retry-After` is honoured) |
/// | 131056 | too many messages to this one recipient | retry, not sooner than 6 s (Meta allows about one per 6 s) |
/// | 131047 | 24-hour window closed: only a template may be sent | rejected: the message is `failed` with the code |
/// | 131026 | undeliverable to this recipient | rejected |
/// | other, HTTP 4xx | e.g. invalid parameter, expired token | dead letter with the error |
/// | other, HTTP 408/429/5xx | Meta trouble | the status rules (retry) |
public struct WhatsAppResponseClassifier: DeliveryResponseClassifier {
    public static let throughputCodes: Set<Int64> = [130429, 4, 80007]
    public static let pairRateLimitCode: Int64 = 131056
    public static let pairRateLimitPauseMillis = 6_000
    public static let rejectedCodes: Set<Int64> = [131047, 131026]

    public init() {}

    public func classify(status: Int, body: [UInt8]) -> DeliveryVerdict {
        guard !(200..<300).contains(status), let error = CloudAPIAnswer.error(body), let code = error.code else {
            return .statusRules
        }
        let text = "whatsapp \(code): \(error.title)"
        if Self.throughputCodes.contains(code) { return .retry(error: text, notBeforeMillis: nil) }
        if code == Self.pairRateLimitCode { return .retry(error: text, notBeforeMillis: Self.pairRateLimitPauseMillis) }
        if Self.rejectedCodes.contains(code) { return .rejected(error: text) }
        if status == 408 || status == 429 || status >= 500 { return .statusRules }
        return .permanent(error: text)
    }
}
