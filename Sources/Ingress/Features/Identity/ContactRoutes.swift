import Access
import Delivery
import GatewayKit
import HTTPServer
import Identity
import Retail

/// The contact API (`contacts.read` / `contacts.write`; changes are made as the caller and audited):
/// - `GET /v1/contacts/{id}` → the contact document (see ``ContactDirectory``); a merged id answers with the survivor.
/// - `GET /v1/contacts?phone=…|bsuid=…|email=…` → the contact owning that identifier, else 404.
/// - `POST /v1/contacts` → the same body as a patch, resolved BSUID → phone → email: 200 with the matched contact (the
///   new identifiers added), or 201 with a new one.
/// - `PATCH /v1/contacts/{id}` → ``ContactPatch``; answers the updated contact.
/// - `DELETE /v1/contacts/{id}/bsuids/{bsuid}` → removes the BSUID node (its phone becomes editable); answers the
///   updated contact.
///
/// Writes add their identity counters (customers created, events not sent for want of a CRM URL, ...) to `/metrics`
/// after they commit, like the inbound identity step does (``ContactService``).
struct ContactRoutes {
    let contacts: ContactService
    /// Contacts outside the caller's outlet scope answer 404.
    let visibility: ContactVisibility
    /// Unix milliseconds of the audit rows (the app's clock).
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (contacts, clock, visibility) = (self.contacts, self.clock, self.visibility)
        /// The document when the caller may see it.
        @Sendable func visible(_ document: JSONValue?, to caller: Caller) throws -> JSONValue? {
            guard let document, let id = document["id"]?.stringValue,
                  try visibility.isVisible(id, to: caller.principal.scope) else { return nil }
            return document
        }
        let mode = contacts.editor.mode
        router.add("GET", "/v1/contacts/{id}", .requires(.contactsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let id = request.parameters["id"] ?? ""
            responder.answer(missing: "no contact \(id)") { try visible(contacts.contact(publicID: id), to: caller) }
        }
        router.add("GET", "/v1/contacts", .requires(.contactsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            switch Self.lookupKey(request.http.query) {
            case .failure(let error): responder.problem(error)
            case .success(let (key, value)):
                responder.answer(missing: "no contact with \(key.rawValue) \(value)") {
                    try visible(contacts.contact(by: key, value), to: caller)
                }
            }
        }
        router.add("POST", "/v1/contacts", .requires(.contactsWrite)) { request, responder in
            guard let caller = request.caller(responder), let patch = Self.patch(request, mode, responder) else { return }
            // Resolving a person may reach any contact, so it is for callers who may see them all.
            guard caller.principal.scope.isUnrestricted else {
                return responder.problem(.forbidden("creating or extending contacts by identifier needs an unrestricted "
                                                    + "scope; PATCH /v1/contacts/{id} edits a contact of your outlets"))
            }
            guard patch.phones?.isEmpty == false || patch.emails?.isEmpty == false || patch.bsuids?.isEmpty == false
            else {
                return responder.problem(.validation([FieldError(field: "body",
                                                                 message: "needs a bsuid, phone or email")]))
            }
            contacts.upsert(patch, actor: caller.actor, addendum: Self.audit(caller, at: clock(), "contact.upserted"),
                            answer: responder.answerContact)
        }
        router.add("PATCH", "/v1/contacts/{id}", .requires(.contactsWrite)) { request, responder in
            let id = request.parameters["id"] ?? ""
            guard let caller = request.caller(responder), let patch = Self.patch(request, mode, responder) else { return }
            Self.ifVisible(id, to: caller, contacts, visibility, responder) {
                contacts.patch(id, patch, actor: caller.actor, addendum: Self.audit(caller, at: clock(), "contact.updated"),
                               answer: responder.answerContact)
            }
        }
        router.add("DELETE", "/v1/contacts/{id}/bsuids/{bsuid}", .requires(.contactsWrite)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let id = request.parameters["id"] ?? ""
            let bsuid = request.parameters["bsuid"] ?? ""
            guard IdentifierFormat.bsuid(bsuid) != nil else {
                return responder.problem(.validation([FieldError(field: "bsuid", message: "must look like CC.digits")]))
            }
            Self.ifVisible(id, to: caller, contacts, visibility, responder) {
                contacts.deleteBSUID(id, bsuid, actor: caller.actor,
                                     addendum: Self.audit(caller, at: clock(), "contact.bsuid_removed"),
                                     answer: responder.answerContact)
            }
        }
        Self.registerConsents(in: &router, contacts, visibility, clock: clock)
    }

    /// `POST /v1/contacts/{id}/consents {"status": "granted"|"withdrawn", "category"?, "source"?, "detail"?}`: a
    /// consent choice made outside WhatsApp, e.g. on a paper form (category `marketing_messages`, source `api`).
    private static func registerConsents(in router: inout Router, _ contacts: ContactService,
                                         _ visibility: ContactVisibility, clock: @escaping @Sendable () -> Int64) {
        router.add("POST", "/v1/contacts/{id}/consents", .requires(.contactsWrite)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            let id = request.parameters["id"] ?? ""
            guard let object = body.objectValue else {
                return responder.problem(.validation([FieldError(field: "body", message: "must be a JSON object")]))
            }
            var v = FieldValidator(object)
            v.rejectUnknownKeys(allowed: ["status", "category", "source", "detail"])
            let status = v.optionalEnum("status", ["granted", "withdrawn"])
            if object["status"] == nil { v.fail("status", "is required (granted or withdrawn)") }
            let category = v.optionalEnum("category", [InboundPreference.marketingCategory])
                ?? InboundPreference.marketingCategory
            let source = v.boundedString("source", maxLength: 100) ?? "api"
            let detail = v.boundedString("detail", maxLength: 500)
            guard v.errors.isEmpty, let status else { return responder.problem(.validation(v.errors)) }
            let audit: Addendum<ContactWrite> = caller.audited(
                "contact.consent", "contact", at: clock(), subject: { $0.contact["id"]?.stringValue },
                detail: { _ in ["category": .string(category), "status": .string(status)] })
            ifVisible(id, to: caller, contacts, visibility, responder) {
                contacts.recordConsent(id, category: category, granted: status == "granted", source: source,
                                       detail: detail, actor: caller.actor, addendum: audit,
                                       answer: responder.answerContact)
            }
        }
    }

    /// Runs `proceed` when contact `id` is inside the caller's scope or unknown (the change's own 404 follows);
    /// otherwise answers 404. Unrestricted callers proceed at once.
    private static func ifVisible(_ id: String, to caller: Caller, _ contacts: ContactService,
                                  _ visibility: ContactVisibility, _ responder: Responder,
                                  then proceed: @escaping @Sendable () -> Void) {
        guard !caller.principal.scope.isUnrestricted else { return proceed() }
        responder.unlessHidden(missing: "no contact \(id)", then: proceed) {
            guard let document = try contacts.contact(publicID: id), let resolved = document["id"]?.stringValue else {
                return false
            }
            return try visibility.isVisible(resolved, to: caller.principal.scope)
        }
    }

    /// The audit row of a contact change: the contact's id only (its identifiers are personal data).
    private static func audit(_ caller: Caller, at now: Int64, _ action: String) -> Addendum<ContactWrite> {
        caller.audited(action, "contact", at: now,
                       subject: { $0.contact["id"]?.stringValue }, detail: { ["created": .bool($0.created)] })
    }

    /// The body as a validated ``ContactPatch``, or nil after answering the problem.
    private static func patch(_ request: RouteRequest, _ mode: IdentityMode, _ responder: Responder) -> ContactPatch? {
        let body: JSONValue
        do {
            body = try JSONParser.parse(request.http.body)
        } catch {
            responder.problem(.malformedJSON(error))
            return nil
        }
        switch ContactPatch.parse(body, mode: mode) {
        case .failure(let error):
            responder.problem(error)
            return nil
        case .success(let patch):
            return patch
        }
    }

    /// Exactly one of `phone`, `bsuid`, `email`, in canonical form.
    static func lookupKey(_ query: [String: String]) -> Result<(ContactDirectory.Key, String), GatewayError> {
        let given = ContactDirectory.Key.allCases.filter { query[$0.rawValue] != nil }
        guard given.count == 1, let key = given.first, let raw = query[key.rawValue] else {
            return .failure(.validation([FieldError(field: "query", message: "give exactly one of phone, bsuid, email")]))
        }
        let value: String?
        switch key {
        case .phone: value = IdentifierFormat.phone(raw)
        case .bsuid: value = IdentifierFormat.bsuid(raw)
        case .email: value = IdentifierFormat.email(raw)
        }
        guard let value else {
            return .failure(.validation([FieldError(field: key.rawValue, message: "is not a valid \(key.rawValue)")]))
        }
        return .success((key, value))
    }
}

private extension Responder {
    /// The written contact; 201 when the write created it.
    func answerContact(_ result: Result<ContactWrite, GatewayError>) {
        answer(result) { json($0.contact, status: $0.created ? 201 : 200) }
    }
}
