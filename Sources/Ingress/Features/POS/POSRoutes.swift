import Access
import Delivery
import GatewayKit
import HTTPServer
import Identity
import POSAdapter
import Retail

/// The POS API (admin bearer token):
/// - `POST /v1/pos/outlets/{oid}` — the POS pushes an outlet (e.g. renewed: a new `expiry_date`, a new `status`).
///   Body: the ``OutletField`` keys (`fid`, `franchise_name`, `name`, `phones`, `expiry_date`, `status`,
///   `time_zone`; `oid` optional and then equal to the URL's). An upsert: a known outlet takes the fields present;
///   a new one needs `fid`, `name`, `expiry_date` and `status`. `201` created, `200` updated or unchanged, with the
///   outlet; every bad field named in one 400.
/// - `GET /v1/pos/outlets/{oid}` — the outlet, or 404.
/// - `GET /v1/pos/outlets?fid=&phone=&limit=&cursor=` — `{"items": [outlet…], "next_cursor"}` in OID order; `phone`
///   in any format (normalized like POS rows).
struct POSRoutes {
    let outlets: OutletService
    let settings: POSSettings
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (outlets, clock) = (self.outlets, self.clock)
        let reader = OutletJSONReader(rules: OutletFieldRules(settings: settings))
        let phoneFormat = settings.phoneFormat
        router.add("POST", "/v1/pos/outlets/{oid}", .requires(.outletsWrite)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let input: OutletInput
            switch Self.push(request, reader: reader) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): input = parsed
            }
            let now = clock()
            let audit: Addendum<OutletWriter.Write> = caller.audited(
                "outlet.pushed", "outlet", at: now, subject: { $0.record.oid },
                detail: { ["fid": .string($0.record.fid), "outcome": .string("\($0.outcome)")] })
            outlets.push(input, now: now, addendum: audit) { result in
                responder.answer(result) { responder.json($0.record.json, status: $0.outcome == .inserted ? 201 : 200) }
            }
        }
        router.add("GET", "/v1/pos/outlets/{oid}", .requires(.outletsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let oid = request.parameters["oid"] ?? ""
            responder.answer(missing: "no outlet \(oid)") {
                // An outlet outside the caller's scope does not exist for it.
                guard let outlet = try outlets.outlet(oid),
                      caller.principal.scope.covers(fid: outlet.fid, oid: outlet.oid) else { return nil }
                return outlet.json
            }
        }
        router.add("GET", "/v1/pos/outlets", .requires(.outletsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let query: ListQuery
            switch ListQuery.parse(request.http.query, phoneFormat: phoneFormat) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): query = parsed
            }
            responder.answer(missing: "") {
                let page = try outlets.page(fid: query.fid, phone: query.phone, after: query.cursor, limit: query.limit,
                                            within: caller.principal.scope.condition(fid: "o.fid", oid: "o.oid"))
                return ["items": .array(page.items.map(\.json)), "next_cursor": JSONValue(page.nextCursor)]
            }
        }
    }

    /// The pushed outlet: the URL's OID plus the body's fields, every problem in one 400.
    static func push(_ request: RouteRequest, reader: OutletJSONReader) -> Result<OutletInput, GatewayError> {
        let oid = request.parameters["oid"] ?? ""
        guard OutletFieldRules.id(oid) == oid else {
            return .failure(.validation([FieldError(field: "oid", message: OutletFieldRules.idRule)]))
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(request.http.body)
        } catch {
            return .failure(.malformedJSON(error))
        }
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var input = OutletInput(oid: oid)
        var problems = reader.read(object, prefix: "", requireAll: false, into: &input)
        if problems.isEmpty && input.oid != oid {
            problems.append(FieldError(field: "oid", message: "must match the OID in the URL (\(oid))"))
        }
        return problems.isEmpty ? .success(input) : .failure(.validation(problems))
    }

    /// `fid`, `phone` (any format), `limit` (1–500, default 100), `cursor` (the previous page's `next_cursor`).
    struct ListQuery: Sendable {
        var fid: String?
        var phone: String?
        var cursor: String?
        var limit = 100

        static func parse(_ parameters: [String: String], phoneFormat: PhoneNumberFormat) -> Result<ListQuery, GatewayError> {
            var query = ListQuery()
            var errors: [FieldError] = []
            for key in ["fid", "cursor"] {
                guard let text = parameters[key] else { continue }
                guard let id = OutletFieldRules.id(text) else {
                    errors.append(FieldError(field: key, message: key == "fid" ? "is not a FID"
                                             : "must be the next_cursor of a previous page"))
                    continue
                }
                if key == "fid" { query.fid = id } else { query.cursor = id }
            }
            if let text = parameters["phone"] {
                do {
                    query.phone = try phoneFormat.canonical(text)
                } catch {
                    errors.append(FieldError(field: "phone", message: error.description))
                }
            }
            if let text = parameters["limit"] {
                if let value = Int(text), (1...OutletDirectory.maxPageSize).contains(value) { query.limit = value } else {
                    errors.append(FieldError(field: "limit", message: "must be an integer between 1 and "
                                             + "\(OutletDirectory.maxPageSize)"))
                }
            }
            return errors.isEmpty ? .success(query) : .failure(.validation(errors))
        }
    }
}
