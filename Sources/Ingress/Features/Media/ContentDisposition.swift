import Foundation

/// `Content-Disposition` values (RFC 6266): `inline` or `attachment`, with a file name as plain ASCII (`filename`,
/// quotes, backslashes and non-ASCII replaced) and, when it has other characters, exactly (`filename*`, RFC 8187).
enum ContentDisposition {
    static func value(inline: Bool, filename: String?) -> String {
        let type = inline ? "inline" : "attachment"
        guard let filename, !filename.isEmpty else { return type }
        let ascii = String(filename.unicodeScalars.map { scalar -> Character in
            scalar.value < 0x20 || scalar.value > 0x7E || scalar == "\"" || scalar == "\\" ? "_" : Character(scalar)
        })
        var value = "\(type); filename=\"\(ascii)\""
        if ascii != filename {
            let encoded = filename.addingPercentEncoding(withAllowedCharacters: attributeCharacters) ?? ascii
            value += "; filename*=UTF-8''\(encoded)"
        }
        return value
    }

    /// RFC 8187's `attr-char`: what may stand unencoded in an extended value.
    private static let attributeCharacters = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
}
