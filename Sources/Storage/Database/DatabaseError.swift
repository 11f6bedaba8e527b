/// What callers need to know about an engine's error, whichever engine raised it.
public protocol DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The data broke a constraint (unique, not null, check, foreign key): the same write will fail again.
    var isConstraintViolation: Bool { get }
    /// Another transaction held a conflicting lock too long; the same write may succeed later.
    var isBusy: Bool { get }
    /// The disk or file is full, unwritable or damaged: nothing can be acknowledged until an operator acts.
    var isStorageFailure: Bool { get }
}

extension DatabaseError {
    /// The write may succeed if tried again later: the storage or a lock, not the data, was at fault.
    public var isTransient: Bool { isStorageFailure || isBusy }
}
