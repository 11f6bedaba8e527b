/// Media types of `Content-Type` values, for routes and clients that read a body by its type.
public enum MediaType {
    /// The media type of `contentType` without its parameters, in lower case (`text/csv` of
    /// `Text/CSV; charset=utf-8`); nil when there is none.
    public static func of(_ contentType: String?) -> String? {
        guard let type = contentType?.split(separator: ";", omittingEmptySubsequences: false).first else { return nil }
        let name = String(type).trimmingSpaces.lowercased()
        return name.isEmpty ? nil : name
    }
}
