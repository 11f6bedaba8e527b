/// The part of the loop's state other threads touch, always under `MultiLoop.inboxLock`.
struct Inbox {
    /// Once true the loop fails whatever it drains and exits; it never becomes false again.
    var stopping = false
    /// Requests not yet seen by the loop thread, in submission order.
    var submissions: [Submission] = []
}
