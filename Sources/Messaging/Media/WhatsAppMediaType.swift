import Foundation

/// The kinds of media a WhatsApp message carries, with what the Cloud API accepts of each: the MIME types and the
/// largest file. Inbound downloads and outbound sends are judged by the same table, so the gateway never stores what
/// it could not have sent, nor sends what Meta would refuse.
public enum WhatsAppMediaType: String, Sendable, CaseIterable {
    case image, document, audio, video, sticker

    /// The Cloud API's size limit for this kind (image 5 MB, audio and video 16 MB, document 100 MB, sticker 500 KB).
    public var maxBytes: Int {
        switch self {
        case .image: 5 * 1_048_576
        case .audio, .video: 16 * 1_048_576
        case .document: 100 * 1_048_576
        case .sticker: 500 * 1_024
        }
    }

    /// The MIME types the Cloud API supports for this kind (parameters such as `; codecs=opus` aside).
    public var mimeTypes: Set<String> {
        switch self {
        case .image: ["image/jpeg", "image/png"]
        case .sticker: ["image/webp"]
        case .audio: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"]
        case .video: ["video/mp4", "video/3gpp"]
        case .document: [
            "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ]
        }
    }

    /// Whether a message of this kind may carry a caption (audio and stickers may not).
    public var takesCaption: Bool { self == .image || self == .video || self == .document }

    /// Whether this kind has a file name (documents only).
    public var takesFilename: Bool { self == .document }

    /// Whether `mimeType` (parameters ignored, any case) is one this kind accepts.
    public func accepts(mimeType: String) -> Bool {
        guard let bare = mimeType.split(separator: ";").first else { return false }
        return mimeTypes.contains(bare.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// The names, for messages listing what is allowed.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
