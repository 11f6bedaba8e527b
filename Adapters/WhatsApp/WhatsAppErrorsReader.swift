import Delivery
import GatewayKit

/// Reads Meta's `errors[]` (on a status, or on a message it could not deliver whole): `{code, title, message,
/// error_data: {details}}` each, every field optional; a non-object element is a problem under `errors[i]`.
enum WhatsAppErrorsReader {
    static func read(_ fields: inout WhatsAppFields) -> [InboundError] {
        guard let elements = fields.optionalArray("errors") else { return [] }
        var errors: [InboundError] = []
        for (index, element) in elements.enumerated() {
            let elementPath = "\(fields.path("errors"))[\(index)]"
            guard let object = element.objectValue else {
                fields.fail("errors[\(index)]", "must be an object, got \(element.typeName)")
                continue
            }
            var errorFields = WhatsAppFields(object, prefix: elementPath)
            var error = InboundError(code: errorFields.optionalInteger("code"),
                                     title: errorFields.optionalString("title"),
                                     message: errorFields.optionalString("message"))
            if let data = errorFields.optionalObject("error_data") {
                var dataFields = WhatsAppFields(data, prefix: errorFields.path("error_data"))
                error.details = dataFields.optionalString("details")
                errorFields.merge(dataFields)
            }
            fields.merge(errorFields)
            errors.append(error)
        }
        return errors
    }
}
