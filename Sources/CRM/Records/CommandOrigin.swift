/// Which API a record command came through. Stored with the record, and the `source` of records whose payload
/// names none.
public enum CommandOrigin: String, Sendable, CaseIterable {
    case chatbot
    case agent
    case api
}
