import GatewayKit
import HTTPTesting

extension TestResponse {
    /// The body as JSON, when it is.
    var json: JSONValue? { try? JSONParser.parse(body) }
}
