import GatewayKit
import Storage

/// Why an endpoint is disabled: it answered `status` (410 Gone) to the delivery `idempotencyKey` at `disabledAt`
/// (unix ms). Nothing is sent to it until an operator re-enables it.
public struct EndpointDisablement: Sendable, Equatable {
    public let endpoint: EndpointName
    public let status: Int
    public let idempotencyKey: String
    public let disabledAt: Int64

    /// The log line's fields, with what re-enables the endpoint (a restart does not).
    var logFields: KeyValuePairs<String, String> {
        ["endpoint": endpoint.rawValue, "status": String(status), "idempotency_key": idempotencyKey,
         "since": Timestamps.rfc3339(disabledAt), "action": "re-enable with POST /v1/endpoints/\(endpoint)/enable"]
    }
}

/// The stored disabled state of outbound endpoints (`outbound_disabled_endpoints`), on the connection of the
/// transaction that changes it: the 410 outcome's, or the re-enable's.
enum DisabledEndpoints {
    /// Records a disablement; an endpoint already disabled keeps its first one (the time it has been disabled since).
    static func record(_ disablement: EndpointDisablement, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO outbound_disabled_endpoints (endpoint, status, idempotency_key, disabled_at)
            VALUES (?, ?, ?, ?) ON CONFLICT (endpoint) DO NOTHING
            """, [.text(disablement.endpoint.rawValue), .integer(Int64(disablement.status)),
                  .text(disablement.idempotencyKey), .integer(disablement.disabledAt)])
    }

    static func clear(_ endpoint: EndpointName, in connection: any DatabaseConnection) throws {
        try connection.run("DELETE FROM outbound_disabled_endpoints WHERE endpoint = ?", [.text(endpoint.rawValue)])
    }

    static func all(in connection: any DatabaseConnection) throws -> [EndpointDisablement] {
        try connection.query("""
            SELECT endpoint, status, idempotency_key, disabled_at FROM outbound_disabled_endpoints ORDER BY endpoint
            """).compactMap { row in
            guard let endpoint = row.string("endpoint"), let status = row.int("status"),
                  let key = row.string("idempotency_key"), let at = row.int64("disabled_at")
            else { return nil }
            return EndpointDisablement(endpoint: EndpointName(endpoint), status: status, idempotencyKey: key,
                                       disabledAt: at)
        }
    }
}

/// An operator's request to re-enable an endpoint; `addendum` (its audit row) is written in the transaction that clears
/// the state; `done` is told once that has committed (or that it could not be written before the dispatcher stopped).
struct EndpointEnableRequest: Sendable {
    let endpoint: EndpointName
    let addendum: Addendum<Void>?
    let done: @Sendable (Result<Void, any Error>) -> Void
}
