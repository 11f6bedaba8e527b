import GatewayKit

package extension JSONParser {
    /// `text` parsed as JSON (a request body a stub received), nil when it is not JSON.
    static func parseText(_ text: String) -> JSONValue? { try? parse(Array(text.utf8)) }
}
