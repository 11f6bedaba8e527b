import Access
import Ingress
import XCTest

final class RouterTests: XCTestCase {
    private func router() -> Router {
        var router = Router()
        router.add("GET", "/healthz", .open(reason: "probe")) { _, _ in }
        router.add("POST", "/v1/deals", .requires(.dealsWrite)) { _, _ in }
        router.add("GET", "/v1/deals/{id}", .requires(.dealsRead)) { _, _ in }
        router.add("PATCH", "/v1/deals/{id}", .requires(.dealsWrite)) { _, _ in }
        return router
    }

    func testMatchesLiteralAndParameterRoutes() {
        guard case .found(let pattern, let permission, _, let parameters) = router().match(method: "GET",
                                                                                         path: "/v1/deals/42")
        else { return XCTFail("expected a match") }
        XCTAssertEqual(pattern, "/v1/deals/{id}")
        XCTAssertEqual(permission, .requires(.dealsRead))
        XCTAssertEqual(parameters, ["id": "42"])
        guard case .found = router().match(method: "GET", path: "/healthz/") else { return XCTFail("trailing slash") }
        guard case .found = router().match(method: "HEAD", path: "/healthz") else { return XCTFail("HEAD as GET") }
    }

    /// A literal segment beats a placeholder in the same place whatever the registration order, so a feature may
    /// add `/v1/deals/summary` after another registered `/v1/deals/{id}`.
    func testALiteralSegmentBeatsAPlaceholderRegisteredEarlier() {
        var router = router()
        router.add("POST", "/v1/deals/summary", .requires(.dealsRead)) { _, _ in }
        router.add("GET", "/v1/{kind}/summary", .requires(.dealsWrite)) { _, _ in }
        guard case .found(let pattern, _, _, let parameters) = router.match(method: "POST", path: "/v1/deals/summary")
        else { return XCTFail("expected the literal route") }
        XCTAssertEqual(pattern, "/v1/deals/summary")
        XCTAssertEqual(parameters, [:])
        guard case .methodNotAllowed(let other, let allowed) = router.match(method: "GET", path: "/v1/deals/summary")
        else { return XCTFail("the most specific pattern decides the methods") }
        XCTAssertEqual(other, "/v1/deals/summary")
        XCTAssertEqual(allowed, ["POST"])
        guard case .found(let deal, _, _, _) = router.match(method: "GET", path: "/v1/deals/7") else {
            return XCTFail("the placeholder still answers other values")
        }
        XCTAssertEqual(deal, "/v1/deals/{id}")
        guard case .found(let kinds, _, _, _) = router.match(method: "GET", path: "/v1/tickets/summary") else {
            return XCTFail("a placeholder earlier in the path")
        }
        XCTAssertEqual(kinds, "/v1/{kind}/summary")
    }

    func testAPlaceholderMayEndInALiteral() {
        var router = Router()
        router.add("GET", "/v1/exports/{kind}.csv", .requires(.dataExport)) { _, _ in }
        guard case .found(_, _, _, let parameters) = router.match(method: "GET", path: "/v1/exports/tickets.csv")
        else { return XCTFail("expected a match") }
        XCTAssertEqual(parameters, ["kind": "tickets"])
        for path in ["/v1/exports/tickets", "/v1/exports/.csv", "/v1/exports/tickets.csvx"] {
            guard case .notFound = router.match(method: "GET", path: path) else { return XCTFail("\(path): 404") }
        }
    }

    func testWrongMethodAndUnknownPath() {
        guard case .methodNotAllowed(_, let allowed) = router().match(method: "DELETE", path: "/v1/deals/1") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(allowed, ["GET", "PATCH"])
        guard case .notFound = router().match(method: "GET", path: "/v1/deals/1/extra") else { return XCTFail("404") }
        guard case .notFound = router().match(method: "GET", path: "/") else { return XCTFail("404") }
    }

    /// What makes a path unfit for any route, the first-named problem first; one trailing slash is fine.
    func testPathDefects() {
        let cases: [(String, String?)] = [
            ("/", nil), ("/healthz", nil), ("/healthz/", nil), ("/v1/deals/4.2", nil), ("/v1/.well-known", nil),
            ("/v1/...", nil), ("/v1/a.", nil), ("", "it does not start with /"), ("healthz", "it does not start with /"),
            ("//", "it has an empty segment (//)"), ("/v1//deals", "it has an empty segment (//)"),
            ("/v1/deals//", "it has an empty segment (//)"), ("/./a//b", "it has an empty segment (//)"),
            ("/.", "it has a . or .. segment"), ("/v1/../deals", "it has a . or .. segment"),
            ("/v1/deals/..", "it has a . or .. segment"), ("/v1/deals/./", "it has a . or .. segment"),
        ]
        for (path, defect) in cases {
            XCTAssertEqual(Router.pathDefect(path), defect, path)
        }
    }

    /// Literal routes are found by their path, with or without one trailing slash, also the root.
    func testLiteralRoutesWithAndWithoutTrailingSlash() {
        var router = router()
        router.add("GET", "/", .open(reason: "root")) { _, _ in }
        router.add("GET", "/v1/{kind}", .requires(.dealsRead)) { _, _ in }
        for (path, expected) in [("/", "/"), ("/v1/deals/", "/v1/deals"), ("/v1/deals", "/v1/deals"),
                                 ("/v1/things/", "/v1/{kind}")] {
            switch router.match(method: "GET", path: path) {
            case .found(let pattern, _, _, _), .methodNotAllowed(let pattern, _): XCTAssertEqual(pattern, expected, path)
            default: XCTFail("no route for \(path)")
            }
        }
        guard case .notFound = router.match(method: "GET", path: "/v1/deals/7/notes") else { return XCTFail("notFound") }
    }
}
