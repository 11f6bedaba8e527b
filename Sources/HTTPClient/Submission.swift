/// A request handed from any thread to the loop thread, with the callback for its result.
struct Submission: Sendable {
    let request: ClientRequest
    let completion: @Sendable (Result<ClientResponse, ClientError>) -> Void
}

/// The part of the loop's state other threads touch, always under the loop's mutex.
struct Inbox {
    /// Once true the loop fails whatever it drains and exits; it never becomes false again.
    var stopping = false
    /// Requests not yet seen by the loop thread, in submission order.
    var submissions: [Submission] = []
}
