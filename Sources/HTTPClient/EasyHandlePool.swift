/// Free list of idle easy handles. Reusing a handle skips its allocation and setup; the
/// connections themselves live in the multi handle's cache either way.
/// Not thread-safe: lives on the client's loop thread.
struct EasyHandlePool {
    private var idle: [EasyHandle] = []
    /// Idle handles beyond this are destroyed, bounding the memory a burst leaves behind
    /// (each handle keeps a ~16 KiB receive buffer).
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// An idle handle, or a new one; nil only when libcurl cannot allocate.
    mutating func take() -> EasyHandle? {
        idle.popLast() ?? EasyHandle()
    }

    /// Takes back a handle that is no longer attached to the multi handle.
    mutating func recycle(_ handle: EasyHandle) {
        guard idle.count < limit else { return }   // dropped: deinit runs curl_easy_cleanup
        handle.prepareForReuse()
        idle.append(handle)
    }

    /// Destroys every idle handle.
    mutating func removeAll() {
        idle.removeAll()
    }
}
