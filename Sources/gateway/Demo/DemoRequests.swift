import Foundation
import GatewayKit
import HTTPClient

/// How `gateway demo` talks to the running gateway: each call's `what` (a line saying what was done) is printed as it
/// succeeds; an answer it did not expect, or no answer, stops the demo with the reason (exit 1).
struct DemoRequests {
    struct Stop: Error {
        let message: String
    }

    let client: CurlMultiClient
    let base: String
    /// The admin token's headers, when `ADMIN_TOKEN` is set.
    let admin: [(String, String)]?

    /// Sends `request` and returns the answer when its status is one of `expected`.
    @discardableResult
    func send(_ what: String, _ request: ClientRequest, expecting expected: Set<Int>,
              quiet: Bool = false) throws -> ClientResponse {
        switch client.perform(request) {
        case .failure(let error):
            throw Stop(message: "demo: \(what): \(base) did not answer: \(error)")
        case .success(let response) where !expected.contains(response.status):
            throw Stop(message: "demo: \(what): HTTP \(response.status) \(String(decoding: response.body.prefix(500), as: UTF8.self))")
        case .success(let response):
            // A 409 the demo expects is what an earlier run left: a taken name, a ticket already in that status.
            if !quiet { print(response.status == 409 ? "\(what): already so from an earlier run" : what) }
            return response
        }
    }

    /// An admin call to `/v1…` with a JSON body (nil: none).
    @discardableResult
    func admin(_ what: String, _ method: String, _ path: String, _ body: JSONValue? = nil,
               expecting expected: Set<Int>, quiet: Bool = false) throws -> ClientResponse {
        var headers = admin ?? []
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try send(what, ClientRequest(method: method, url: base + path, headers: headers,
                                            body: body.map(JSONWriter.bytes) ?? []),
                        expecting: expected, quiet: quiet)
    }

    /// The JSON of an admin `GET`.
    func read(_ what: String, _ path: String) throws -> JSONValue {
        let response = try admin(what, "GET", path, expecting: [200], quiet: true)
        return (try? JSONParser.parse(response.body)) ?? .null
    }
}
