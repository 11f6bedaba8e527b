import Foundation
import GatewayKit

/// A media message to send by link (`{"media": {"type", "link", "caption"?, "filename"?}}`): Meta fetches the file
/// from `link` when it delivers the message, so the link must be public HTTPS.
public struct WhatsAppOutboundMedia: Sendable, Equatable {
    public let type: WhatsAppMediaType
    public let link: String
    public let caption: String?
    /// The name the customer sees for a document.
    public let filename: String?

    /// The Cloud API's longest caption.
    public static let captionLimit = 1024
    /// The longest link accepted.
    public static let linkLimit = 2048
    /// The longest document file name accepted.
    public static let filenameLimit = 240

    public init(type: WhatsAppMediaType, link: String, caption: String? = nil, filename: String? = nil) {
        self.type = type
        self.link = link
        self.caption = caption
        self.filename = filename
    }

    /// What the Cloud API would refuse, fields named as in the request body (`media.link`, `media.caption`, …).
    func problems() -> [FieldError] {
        var problems: [FieldError] = []
        if !Self.isPublicHTTPS(link) {
            problems.append(FieldError(field: "media.link", message: "must be an https:// URL of at most "
                                       + "\(Self.linkLimit) characters with a host"))
        }
        if let caption {
            if !type.takesCaption {
                problems.append(FieldError(field: "media.caption", message: "\(type.rawValue) messages take no caption"))
            } else if caption.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldError(field: "media.caption", message: "must not be empty"))
            } else if caption.count > Self.captionLimit {
                problems.append(FieldError(field: "media.caption",
                                           message: "must be at most \(Self.captionLimit) characters"))
            }
        }
        if let filename {
            if !type.takesFilename {
                problems.append(FieldError(field: "media.filename", message: "only documents take a file name"))
            } else if filename.isEmpty || filename.count > Self.filenameLimit
                        || filename.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "/" || $0 == "\\" }) {
                problems.append(FieldError(field: "media.filename", message: "must be 1-\(Self.filenameLimit) "
                                           + "characters without control characters or slashes"))
            }
        }
        return problems
    }

    private static func isPublicHTTPS(_ link: String) -> Bool {
        guard link.utf8.count <= linkLimit, !link.unicodeScalars.contains(where: { $0.value <= 0x20 }),
              let url = URLComponents(string: link), url.scheme?.lowercased() == "https",
              let host = url.host, !host.isEmpty else { return false }
        return true
    }
}
