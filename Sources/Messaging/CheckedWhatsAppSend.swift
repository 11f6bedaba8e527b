import Foundation
import GatewayKit

/// A send checked against WhatsApp's rules before anything is queued — the bookkeeping fields, the text length, the
/// list's and the media's limits, the template, its language and parameter values — with its template resolved.
/// What the wire format encodes; it cannot fail any more.
public struct CheckedWhatsAppSend: Sendable, Equatable {
    public let send: WhatsAppSend
    /// For template sends: the template and the language actually used (the send's, or the catalog's default).
    public let template: WhatsAppTemplate?
    public let language: String?

    /// - Throws: ``WhatsAppSendError`` naming every field WhatsApp would refuse.
    public init(_ send: WhatsAppSend, catalog: WhatsAppTemplateCatalog) throws(WhatsAppSendError) {
        var problems = send.problems()
        var resolved: (template: WhatsAppTemplate, language: String)?
        switch send.content {
        case .text(let text):
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldError(field: "text", message: "must not be empty"))
            } else if text.count > WhatsAppContent.textLimit {
                problems.append(FieldError(field: "text",
                                           message: "must be at most \(WhatsAppContent.textLimit) characters"))
            }
        case .interactiveList(let list):
            problems += list.problems()
        case .media(let media):
            problems += media.problems()
        case .template(let name, let requested, let values):
            guard problems.isEmpty else { throw .invalidFields(problems) }
            resolved = try catalog.resolve(name: name, language: requested, values: values)
        }
        guard problems.isEmpty else { throw .invalidFields(problems) }
        self.send = send
        template = resolved?.template
        language = resolved?.language
    }
}

/// How sends and their answers look on the wire: the request body of a checked send, and what the answer to it
/// says. The WhatsApp adapter provides the Cloud API's; the messaging code never names a Cloud API field.
public protocol WhatsAppWireFormat: Sendable {
    /// The request body of `checked` (`POST /{phone_number_id}/messages`).
    func requestBody(_ checked: CheckedWhatsAppSend) -> JSONValue
    /// The message id (`wamid`) in the answer to an accepted send.
    func messageID(inAnswer body: [UInt8]) -> String?
    /// The error in the answer to a refused send; nil when the body is not such an answer.
    func error(inAnswer body: [UInt8]) -> WhatsAppMessageError?
    /// A short reason for an error code of a refusal or a failed status (`service_window_closed`, `undeliverable`,
    /// …); nil for codes without one.
    func failureReason(code: Int64) -> String?
}

extension WhatsAppWireFormat {
    public func failureReason(code: Int64) -> String? { nil }
}
