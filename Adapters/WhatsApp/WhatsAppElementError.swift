import GatewayKit

/// Why one element of a webhook (a message, status or contact) could not be read: every field problem, each named by
/// its full JSON path. Becomes an ``ItemFailure`` for that element alone.
struct WhatsAppElementError: Error, Sendable, Equatable, CustomStringConvertible {
    let problems: [FieldError]

    init(_ problems: [FieldError]) { self.problems = problems }

    init(field: String, _ message: String) { self.problems = [FieldError(field: field, message: message)] }

    var description: String { problems.map { "\($0.field) \($0.message)" }.joined(separator: "; ") }
}
