import Access
import Delivery
import GatewayKit
import HTTPServer
import Identity
import Retail

/// Contact fields, built in and the organisation's own:
/// - `GET /v1/contact-fields` (`contacts.read`) → `{"items": [{"key", "label", "type", "options"?, "built_in",
///   "minimum"?, "maximum"?}]}`;
/// - `POST /v1/contact-fields {"key", "label", "type", "options"?}` (`contact_fields.manage`) → 201, 409 for a taken key
///   (a built-in field's among them);
/// - `PATCH /v1/contacts/{id}/fields {"<key>": value | null}` (`contacts.write`) → the contact, each value checked
///   against its field's type (400 naming the key);
/// - `POST /v1/contact-fields/import` (`contact_fields.manage`, unrestricted callers), JSON lines `{"contact_id",
///   "fields": {...}}` or, with `Content-Type: text/csv`, CSV `contact_id,<field key>,…` → `{"lines", "contacts"}`;
///   one bad line refuses the whole file, every bad line named.
struct ContactFieldRoutes {
    let fields: ContactFieldService
    let contacts: ContactService
    let visibility: ContactVisibility
    /// Unix ms of changes.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (fields, contacts, visibility, clock) = (self.fields, self.contacts, self.visibility, self.clock)
        router.add("GET", "/v1/contact-fields", .requires(.contactsRead)) { _, responder in
            responder.answer(missing: "") { ["items": .array(try fields.definitions().map(\.json))] }
        }
        router.add("POST", "/v1/contact-fields", .requires(.contactFieldsManage)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            switch ContactFieldDefinition.read(body) {
            case .failure(let error): responder.problem(error)
            case .success(let field):
                fields.define(field, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0.json, status: 201) }
                }
            }
        }
        router.add("PATCH", "/v1/contacts/{id}/fields", .requires(.contactsWrite)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            let id = request.parameters["id"] ?? ""
            let scope = caller.principal.scope
            let set: @Sendable () -> Void = {
                fields.setValues(id, body, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0) }
                }
            }
            guard !scope.isUnrestricted else { return set() }
            responder.unlessHidden(missing: "no contact \(id)", then: set) {
                guard let resolved = try contacts.contact(publicID: id)?["id"]?.stringValue else { return false }
                return try visibility.isVisible(resolved, to: scope)
            }
        }
        router.add("POST", "/v1/contact-fields/import", .requires(.contactFieldsManage)) { request, responder in
            guard let caller = request.unrestrictedCaller(responder, "an import may reach any contact") else { return }
            let format = ContactFieldImportFormat(contentType: request.http.headers["Content-Type"])
            fields.importValues(request.http.body, format: format, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0) }
            }
        }
    }
}
