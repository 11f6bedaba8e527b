import Delivery
/// WhatsApp's 24-hour customer-service window as a pure rule: for 24 hours after the customer's last message the
/// business may send anything (free-form text, lists); outside it only an approved template (the Cloud API refuses
/// other messages with error 131047). The agent-reply phase asks this before offering free-form replies.
public enum CustomerServiceWindow {
    public static let lengthMillis: Int64 = 24 * 60 * 60 * 1000

    /// What may be sent now.
    public enum Decision: Sendable, Equatable {
        /// Free-form messages are allowed until `closesAt` (unix ms).
        case freeFormAllowed(closesAt: Int64)
        /// Only a template may be sent, and why.
        case templateOnly(Reason)

        public var allowsFreeForm: Bool {
            if case .freeFormAllowed = self { return true }
            return false
        }
    }

    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The customer never wrote (a business-initiated conversation).
        case noCustomerMessage
        /// The window closed at this unix ms.
        case windowClosed(closedAt: Int64)

        public var description: String {
            switch self {
            case .noCustomerMessage:
                return "the customer has not written yet: only a template can start the conversation"
            case .windowClosed(let closedAt):
                return "the 24-hour window closed at \(closedAt) (24 h after the customer's last message): "
                    + "send a template"
            }
        }
    }

    /// - Parameters:
    ///   - lastCustomerMessageAt: unix ms of the customer's latest inbound message, nil when there is none. A time
    ///     in the future (clock skew) counts as now.
    ///   - now: unix ms.
    public static func evaluate(lastCustomerMessageAt: Int64?, now: Int64) -> Decision {
        guard let last = lastCustomerMessageAt else { return .templateOnly(.noCustomerMessage) }
        let closesAt = min(last, now) + lengthMillis
        return now < closesAt ? .freeFormAllowed(closesAt: closesAt) : .templateOnly(.windowClosed(closedAt: closesAt))
    }
}
