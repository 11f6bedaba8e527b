import CCurl
import Foundation

/// One e-mail: a plain-text body, optionally the same as HTML (`multipart/alternative`), and optionally one attachment
/// (a calendar invite), sent as MIME `multipart/mixed` (every part base64-encoded).
public struct MailMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public let fileName: String
        /// E.g. `text/calendar; charset=utf-8; method=REQUEST`.
        public let contentType: String
        public let bytes: [UInt8]

        public init(fileName: String, contentType: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    public let to: [String]
    public let subject: String
    public let text: String
    /// The same content as HTML: mail programs show it, or the text where they cannot.
    public let html: String?
    public let attachment: Attachment?

    public init(to: [String], subject: String, text: String, html: String? = nil, attachment: Attachment? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachment = attachment
    }
}

/// Why a mail was not sent.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// Sends e-mail through libcurl's SMTP support (`smtp://` or `smtps://` URLs, STARTTLS when the server offers it,
/// optional login). `send` blocks for the whole conversation with the server: call it off request threads.
public struct SMTPMailer: Sendable {
    public let url: String
    public let from: String
    let username: String?
    let password: String?
    let timeoutSeconds: Int

    public init(url: String, from: String, username: String? = nil, password: String? = nil, timeoutSeconds: Int = 30) {
        self.url = url
        self.from = from
        self.username = username
        self.password = password
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ message: MailMessage, now: Date = Date()) throws(SMTPError) {
        if let error = CurlGlobal.initError { throw SMTPError(description: "\(error)") }
        guard let handle = curl_easy_init() else { throw SMTPError(description: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in message.to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        let source = Upload(Array(Self.mime(message, from: from, now: now).utf8))
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }
        _ = gw_easy_setopt_str(handle, CURLOPT_URL, url)
        _ = gw_easy_setopt_str(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = gw_easy_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        _ = gw_easy_setopt_long(handle, CURLOPT_UPLOAD, 1)
        _ = gw_easy_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        _ = gw_easy_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        _ = gw_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        if let username { _ = gw_easy_setopt_str(handle, CURLOPT_USERNAME, username) }
        if let password { _ = gw_easy_setopt_str(handle, CURLOPT_PASSWORD, password) }
        _ = gw_easy_setopt_ptr(handle, CURLOPT_READDATA, unmanaged.toOpaque())
        _ = gw_easy_setopt_read_cb(handle) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            return Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { throw SMTPError(description: String(cString: curl_easy_strerror(code))) }
    }

    /// The message as the server receives it: headers, CRLF line ends, the text (and HTML) part and the attachment.
    static func mime(_ message: MailMessage, from: String, now: Date) -> String {
        let boundary = "gw-" + UUID().uuidString
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var lines = [
            "From: <\(from)>", "To: " + message.to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + encodedHeader(message.subject), "Date: " + date.string(from: now),
            "Message-ID: <\(UUID().uuidString)@gateway>", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "--\(boundary)",
        ]
        let text = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + base64Lines(Array(message.text.utf8))
        if let html = message.html {
            let alternatives = boundary + "-alt"
            lines += ["Content-Type: multipart/alternative; boundary=\"\(alternatives)\"", "", "--\(alternatives)"]
                + text + ["--\(alternatives)", "Content-Type: text/html; charset=utf-8",
                          "Content-Transfer-Encoding: base64", ""]
                + base64Lines(Array(html.utf8)) + ["--\(alternatives)--"]
        } else {
            lines += text
        }
        if let attachment = message.attachment {
            lines += ["--\(boundary)", "Content-Type: \(attachment.contentType)",
                      "Content-Disposition: attachment; filename=\"\(attachment.fileName)\"",
                      "Content-Transfer-Encoding: base64", ""] + base64Lines(attachment.bytes)
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A header value as RFC 2047 UTF-8 base64 when it is not plain ASCII.
    static func encodedHeader(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return text }
        return "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    /// Base64 in lines of 76 characters (MIME's limit).
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let text = Data(bytes).base64EncodedString()
        return stride(from: 0, to: text.count, by: 76).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return String(text[start..<(text.index(start, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex)])
        }
    }

    /// The bytes libcurl reads the message from.
    private final class Upload: @unchecked Sendable {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let count = min(capacity, bytes.count - offset)
            bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }
}
