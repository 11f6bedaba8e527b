/// The store found itself in a state its own constraints should have prevented.
package struct StoreConsistencyError: Error, CustomStringConvertible {
    package let detail: String
    package init(detail: String) { self.detail = detail }
    package var description: String { detail }
}
