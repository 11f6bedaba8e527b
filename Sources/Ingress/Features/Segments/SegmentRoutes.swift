import Access
import Conversations
import Delivery
import GatewayKit
import HTTPServer
import Retail
import Segments

/// Reading segments (`segments.view`):
/// - `GET /v1/segments/fields` → the catalogue: `{"items": [{"key", "label", "type", "operators"}]}`;
///   `GET /v1/segments/fields/{key}/values?prefix=` → up to 20 values customers have (value suggestions);
/// - `GET /v1/segments?search=&created_from=&created_to=&status=&limit=&cursor=` → newest first (`search`: at least 3
///   characters, case-insensitive, in the name);
/// - `POST /v1/segments/preview {"logic", "groups"}` → `{"matched", "total"}` now, nothing saved;
/// - `GET /v1/segments/{id}` → the segment with `reach_percent`, `whatsapp_reachable`, `email_reachable`;
///   `GET /v1/segments/{id}/performance?range=all|7d|30d` → its Performance tab (``SegmentPerformance``);
///   `GET /v1/segments/{id}/members?limit=&cursor=` → a page of members
///   (unrestricted callers: members are any outlet's customers);
/// - `GET /v1/customers/{id}/segments` → `{"segments": [{"segment_id", "segment_name"}]}` (empty when none, and for a
///   customer outside a scoped caller's outlets).
struct SegmentRoutes {
    let segments: SegmentService
    /// A scoped caller sees the segments only of customers of its outlets.
    let visibility: ContactVisibility
    /// Unix ms: relative dates of previews.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (segments, clock, visibility) = (self.segments, self.clock, self.visibility)
        router.add("GET", "/v1/segments/fields", .requires(.segmentsView)) { _, responder in
            responder.answer(missing: "") {
                ["items": .array(try segments.catalogue().fields.map { field in
                    ["key": .string(field.key), "label": .string(field.label), "type": .string(field.type.rawValue),
                     "operators": .array(field.operators.map { .string($0.rawValue) })]
                })]
            }
        }
        router.add("GET", "/v1/segments/fields/{key}/values", .requires(.segmentsView)) { request, responder in
            let key = request.parameters["key"] ?? ""
            let prefix = request.http.query["prefix"] ?? ""
            guard prefix.count <= 60 else {
                return responder.problem(.validation([FieldError(field: "prefix", message: "must be at most 60 characters")]))
            }
            responder.answer(missing: "no segment field \(key)") {
                guard let field = try segments.catalogue().field(key) else { return nil }
                return ["items": .array(try segments.suggestions(for: field, prefix: prefix, limit: 20, now: clock()))]
            }
        }
        router.add("GET", "/v1/segments", .requires(.segmentsView)) { request, responder in
            switch SegmentListQuery.parse(request.http.query, now: clock()) {
            case .failure(let error): responder.problem(error)
            case .success(let query):
                responder.answer(missing: "") {
                    let page = try segments.list(search: query.search, createdFrom: query.from, createdTo: query.to,
                                                 status: query.status, after: query.after, limit: query.limit)
                    return ["items": .array(page.map(\.json)),
                            "next_cursor": page.count == query.limit ? .string(String(page.last?.id ?? 0)) : .null]
                }
            }
        }
        router.add("POST", "/v1/segments/preview", .requires(.segmentsView)) { request, responder in
            guard let body = request.jsonBody(responder) else { return }
            responder.answer(missing: "") {
                let rule = try SegmentInput.readRule(body, catalogue: try segments.catalogue()).get()
                let (matched, total) = try segments.preview(rule, now: clock())
                return ["matched": .integer(matched), "total": .integer(total)]
            }
        }
        router.add("GET", "/v1/segments/{id}", .requires(.segmentsView)) { request, responder in
            guard let id = request.recordID(responder) else { return }
            responder.answer(missing: "no segment \(id)") { try segments.detail(id) }
        }
        router.add("GET", "/v1/segments/{id}/performance", .requires(.segmentsView)) { request, responder in
            guard let id = request.recordID(responder) else { return }
            switch SegmentPerformance.Range.parse(request.http.query) {
            case .failure(let error): responder.problem(error)
            case .success(let range):
                responder.answer(missing: "no segment \(id)") { try segments.performance(id, range: range, now: clock()) }
            }
        }
        router.add("GET", "/v1/segments/{id}/members", .requires(.segmentsView)) { request, responder in
            guard request.unrestrictedCaller(responder, "a segment's members are customers of any outlet") != nil,
                  let id = request.recordID(responder) else { return }
            let page: TicketPage
            switch TicketPage.parse(request.http.query) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): page = parsed
            }
            responder.answer(missing: "no segment \(id)") {
                try segments.members(id, after: page.after, limit: page.limit).map { items in
                    ["items": .array(items),
                     "next_cursor": items.count == page.limit ? items.last?["cursor"] ?? .null : .null]
                }
            }
        }
        router.add("GET", "/v1/customers/{id}/segments", .requires(.segmentsView)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let id = request.parameters["id"] ?? ""
            responder.answer(missing: "") {
                guard try visibility.isVisible(id, to: caller.principal.scope) else { return ["segments": []] }
                return ["segments": .array(try segments.segments(ofContact: id) ?? [])]
            }
        }
    }
}

/// The list's parameters, every bad one named in one 400.
struct SegmentListQuery {
    var search: String?
    var from: Int64?
    var to: Int64?
    var status: String?
    var after: Int64?
    var limit = 20

    static func parse(_ parameters: [String: String], now: Int64) -> Result<SegmentListQuery, GatewayError> {
        var query = SegmentListQuery()
        var errors: [FieldError] = []
        let known = ["search", "created_from", "created_to", "status", "limit", "cursor"]
        for name in parameters.keys.sorted() where !known.contains(name) {
            errors.append(FieldError(field: name, message: "is not a parameter of the list (\(known.joined(separator: ", ")))"))
        }
        if let search = parameters["search"] {
            if search.count < 3 || search.count > 60 {
                errors.append(FieldError(field: "search", message: "must be 3 to 60 characters"))
            } else {
                query.search = search
            }
        }
        query.from = TimeFilter.parameter("created_from", of: parameters, now: now, errors: &errors)
        query.to = TimeFilter.parameter("created_to", of: parameters, now: now, errors: &errors)
        if let status = parameters["status"] {
            if ["active", "archived"].contains(status) { query.status = status } else {
                errors.append(FieldError(field: "status", message: "must be active or archived"))
            }
        }
        if let text = parameters["limit"] {
            if let value = Int(text), (1...100).contains(value) { query.limit = value } else {
                errors.append(FieldError(field: "limit", message: "must be an integer between 1 and 100"))
            }
        }
        if let text = parameters["cursor"] {
            if let value = Int64(text), value > 0 { query.after = value } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(query) : .failure(.validation(errors))
    }
}

extension SegmentPerformance.Range {
    /// `?range=all|7d|30d` (`all` when left out); every bad parameter named in one 400.
    static func parse(_ parameters: [String: String]) -> Result<SegmentPerformance.Range, GatewayError> {
        var errors = parameters.keys.sorted().filter { $0 != "range" }.map {
            FieldError(field: $0, message: "is not a parameter of the performance (range)")
        }
        let range = Self(rawValue: parameters["range"] ?? Self.all.rawValue)
        if range == nil {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            errors.insert(FieldError(field: "range", message: "must be one of \(names)"), at: 0)
        }
        guard let range, errors.isEmpty else { return .failure(.validation(errors)) }
        return .success(range)
    }
}
