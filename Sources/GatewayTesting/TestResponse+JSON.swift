import GatewayKit
import HTTPTesting

package extension TestResponse {
    /// The body as JSON, when it is.
    var json: JSONValue? { try? JSONParser.parse(body) }
}
