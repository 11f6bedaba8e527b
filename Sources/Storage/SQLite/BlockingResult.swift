import Foundation

/// A one-shot slot that one thread fills and another waits for; turns a completion callback into
/// a blocking call.
final class BlockingResult<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    func fill(_ value: Value) {
        condition.lock()
        self.value = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while value == nil {
            condition.wait()
        }
        return value!
    }
}
