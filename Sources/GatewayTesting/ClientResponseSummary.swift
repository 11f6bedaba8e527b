import GatewayKit
import HTTPClient

/// The parts of a problem+json answer tests compare.
package struct ClientResponseSummary {
    package let json: JSONValue?
    package let fields: [String]

    package init(_ response: ClientResponse) {
        json = try? JSONParser.parse(response.body)
        fields = json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }
}
