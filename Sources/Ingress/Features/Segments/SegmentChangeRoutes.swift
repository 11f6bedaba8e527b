import Access
import Delivery
import GatewayKit
import HTTPServer
import Segments

/// Changing segments, each audited: `POST /v1/segments` (`segments.add`) → 201, 409 "Segment limit reached. …" at the
/// plan's limit; `PATCH /v1/segments/{id}` (`segments.manage`) → the segment, not ready until re-evaluated;
/// `POST /v1/segments/{id}/duplicate` (`segments.add`) → 201 "Copy of …"; `POST /v1/segments/{id}/archive` and
/// `…/unarchive` (`segments.archive`); `POST /v1/segments/{id}/refresh` (`segments.manage`) → 202 and the evaluation
/// runs, 429 "Segment was recently refreshed. Try again in N minutes." with `Retry-After`.
struct SegmentChangeRoutes {
    let segments: SegmentService
    /// Unix ms of changes.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (segments, clock) = (self.segments, self.clock)
        router.add("POST", "/v1/segments", .requires(.segmentsAdd)) { request, responder in
            guard let caller = request.caller(responder), let input = Self.input(request, segments, responder) else { return }
            segments.create(input, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0.json, status: 201) }
            }
        }
        router.add("PATCH", "/v1/segments/{id}", .requires(.segmentsManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let input = Self.input(request, segments, responder) else { return }
            segments.update(id, input, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0.json) }
            }
        }
        router.add("POST", "/v1/segments/{id}/duplicate", .requires(.segmentsAdd)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            segments.duplicate(id, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0.json, status: 201) }
            }
        }
        for (action, archived) in [("archive", true), ("unarchive", false)] {
            router.add("POST", "/v1/segments/{id}/\(action)", .requires(.segmentsArchive)) { request, responder in
                guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
                segments.setArchived(id, archived, by: caller, now: clock()) { result in
                    responder.answer(result) { responder.json($0.json) }
                }
            }
        }
        router.add("POST", "/v1/segments/{id}/refresh", .requires(.segmentsManage)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            segments.refresh(id, by: caller, now: clock()) { result in
                responder.answer(result) { _ in responder.json(["status": "refreshing", "segment_id": .integer(id)],
                                                               status: 202) }
            }
        }
    }

    private static func input(_ request: RouteRequest, _ segments: SegmentService, _ responder: Responder) -> SegmentInput? {
        guard let body = request.jsonBody(responder) else { return nil }
        let catalogue: SegmentCatalogue
        do {
            catalogue = try segments.catalogue()
        } catch {
            responder.problem(GatewayError.storage(error))
            return nil
        }
        switch SegmentInput.read(body, catalogue: catalogue) {
        case .failure(let error):
            responder.problem(error)
            return nil
        case .success(let input): return input
        }
    }
}
