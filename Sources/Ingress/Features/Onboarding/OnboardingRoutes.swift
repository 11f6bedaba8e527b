import Access
import Conversations
import Delivery
import GatewayKit
import HTTPServer

/// Onboarding sessions over HTTP:
/// - `GET /v1/onboarding/slots?from=&to=` (`tickets.read`) → `{"time_zone", "slot_minutes", "items": [{"start",
///   "end"}]}`: the free slots (`from` default now, `to` default `from` + 7 days, at most 31 days apart; RFC 3339);
/// - `POST /v1/tickets/{id}/onboarding {"slot", "owner"}` → 201, `PATCH … {"slot", "owner"?}` → 200 (rescheduled),
///   `DELETE …` → 200 (cancelled), each with the booking (`onboarding.manage`); `GET …` → the booking
///   (`tickets.read`);
/// - `GET /v1/tickets/{id}/onboarding.ics` (`tickets.read`) → the RFC 5545 invite (``OnboardingInvite``).
struct OnboardingRoutes {
    let desk: OnboardingDesk
    /// E-mails the invite after each change; nil without `smtp.url`.
    let inviteMail: OnboardingInviteMail?
    let scope: TicketScope
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (desk, scope, clock) = (self.desk, self.scope, self.clock)
        router.add("GET", "/v1/onboarding/slots", .requires(.ticketsRead)) { request, responder in
            let now = clock()
            responder.answer(Self.range(request.http.query, now: now)) { range in
                responder.answer(missing: "") {
                    let slots = try desk.freeSlots(from: range.from, to: range.to, now: now)
                    let length = Int64(desk.calendar.settings.slotMilliseconds)
                    return ["time_zone": .string(desk.calendar.settings.timeZone), "slot_minutes": .integer(length / 60_000),
                            "items": .array(slots.map { ["start": .string(Timestamps.rfc3339($0)),
                                                         "end": .string(Timestamps.rfc3339($0 + length))] })]
                }
            }
        }
        change("POST", 201, in: &router) { id, body, caller, answer in
            switch OnboardingRequest.read(body, ownerRequired: true) {
            case .failure(let error): answer(.failure(error))
            case .success(let request): desk.book(request, on: id, by: caller, now: clock(), answer: answer)
            }
        }
        change("PATCH", 200, in: &router) { id, body, caller, answer in
            switch OnboardingRequest.read(body, ownerRequired: false) {
            case .failure(let error): answer(.failure(error))
            case .success(let request): desk.reschedule(request, on: id, by: caller, now: clock(), answer: answer)
            }
        }
        change("DELETE", 200, in: &router) { id, _, caller, answer in
            desk.cancel(on: id, by: caller, now: clock(), answer: answer)
        }
        router.add("GET", "/v1/tickets/{id}/onboarding", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            scope.check(id, for: caller, responder) {
                responder.answer(missing: "ticket \(id) has no onboarding") { try desk.booking(ofTicket: id)?.booking.json }
            }
        }
        router.add("GET", "/v1/tickets/{id}/onboarding.ics", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            scope.check(id, for: caller, responder) {
                do {
                    guard let (booking, lead) = try desk.booking(ofTicket: id) else {
                        return responder.problem(.notFound("ticket \(id) has no onboarding"))
                    }
                    responder.respond(HTTPResponse(status: 200, headers: [
                        ("Content-Type", OnboardingInvite.contentType),
                        ("Content-Disposition", "attachment; filename=\"onboarding-T-\(id).ics\""),
                    ], body: Array(OnboardingInvite.calendar(booking, lead: lead).utf8)))
                } catch {
                    responder.problem(GatewayError.storage(error))
                }
            }
        }
    }

    /// `method` on `/v1/tickets/{id}/onboarding` (`onboarding.manage`): `act` with the ticket id, the body (none for
    /// DELETE), the caller and the answer, answered with `status`.
    private func change(_ method: String, _ status: Int, in router: inout Router,
                        _ act: @escaping @Sendable (Int64, JSONValue, Caller, @escaping Answer<JSONValue>) -> Void) {
        let (scope, inviteMail) = (self.scope, self.inviteMail)
        router.add(method, "/v1/tickets/{id}/onboarding", .requires(.onboardingManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            let body = method == "DELETE" ? .object([:]) : request.jsonBody(responder)
            guard let body else { return }
            scope.check(id, for: caller, responder) {
                act(id, body, caller) { result in
                    responder.answer(result) { responder.json($0, status: status) }
                    if case .success = result { inviteMail?.mail(ticketID: id) }
                }
            }
        }
    }

    /// `from` and `to` of a slot listing.
    static func range(_ query: [String: String], now: Int64) -> Result<(from: Int64, to: Int64), GatewayError> {
        var errors: [FieldError] = []
        func instant(_ name: String) -> Int64? {
            guard let text = query[name] else { return nil }
            guard let millis = OnboardingCalendar.instant(text) else {
                errors.append(FieldError(field: name, message: "must be an RFC 3339 time such as 2026-07-07T00:00:00+08:00"))
                return nil
            }
            return millis
        }
        let from = instant("from") ?? now
        let to = instant("to") ?? from + 7 * 86_400_000
        if errors.isEmpty, to <= from || to - from > OnboardingCalendar.maxRangeMilliseconds {
            errors.append(FieldError(field: "to", message: "must be after from, at most 31 days later"))
        }
        return errors.isEmpty ? .success((from, to)) : .failure(.validation(errors))
    }
}
