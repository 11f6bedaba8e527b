import GatewayKit
import HTTPClient

/// The parts of a problem+json answer tests compare.
struct ClientResponseSummary {
    let json: JSONValue?
    let fields: [String]

    init(_ response: ClientResponse) {
        json = try? JSONParser.parse(response.body)
        fields = json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }
}
