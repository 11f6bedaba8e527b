/// A request handed from any thread to the loop thread, with the callback for its result.
struct Submission: Sendable {
    let request: ClientRequest
    let completion: @Sendable (Result<ClientResponse, ClientError>) -> Void
}
