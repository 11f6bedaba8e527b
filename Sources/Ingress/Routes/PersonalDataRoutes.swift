import Access
import GatewayKit
import HTTPServer

/// PDPA requests about a person, for admins (`personal_data.manage`):
/// - `GET /v1/contacts/{id}/export` → everything held about the contact, by section (subject access); 404 unknown.
/// - `POST /v1/contacts/{id}/erasure` → removes or anonymizes the person everywhere (see ``PersonalDataRequests``):
///   200 `{"status": "erased", "contact_id", "changed": {section: rows}, "files_purged"}`; again → 200
///   `{"status": "already_erased"}` and nothing changes; 404 unknown. Audited without the erased values.
struct PersonalDataRoutes {
    let requests: PersonalDataRequests
    /// Unix milliseconds of erasures.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (requests, clock) = (self.requests, self.clock)
        router.add("GET", "/v1/contacts/{id}/export", .requires(.personalDataManage)) { request, responder in
            let id = request.parameters["id"] ?? ""
            responder.answer(missing: "no contact \(id)") { try requests.export(contactID: id) }
        }
        router.add("POST", "/v1/contacts/{id}/erasure", .requires(.personalDataManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let id = request.parameters["id"] ?? ""
            requests.erase(contactID: id, by: caller, now: clock()) { result in
                responder.answer(result) { outcome in
                    switch outcome {
                    case .alreadyErased:
                        responder.json(["status": "already_erased", "contact_id": .string(id)])
                    case .erased(let counts, let purged):
                        responder.json(["status": "erased", "contact_id": .string(id),
                                        "changed": .object(counts.mapValues { .integer(Int64($0)) }),
                                        "files_purged": .bool(purged)])
                    }
                }
            }
        }
    }
}
