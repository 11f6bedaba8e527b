extension InboundEvent {
    /// Whose events this one must stay in order with: the person it is from or about — their business-scoped user id,
    /// else their phone. nil for an event that must stay in order with every other (an identity change names two
    /// identities; template and account updates name none). Where the applier runs items side by side, items with
    /// different keys may; one person's items never do.
    public var orderingKey: String? {
        switch self {
        case .message(let m), .echo(let m): return m.senderUserID ?? m.senderPhone
        case .status(let s): return s.recipientUserID ?? s.recipientPhone
        case .contact(let c): return c.userID ?? c.waID
        case .preference(let p): return p.userID ?? p.phone
        case .call(let c): return c.customerUserID ?? c.customerPhone
        case .identityChange, .templateUpdate, .accountUpdate: return nil
        }
    }
}
