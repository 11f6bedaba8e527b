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
}
