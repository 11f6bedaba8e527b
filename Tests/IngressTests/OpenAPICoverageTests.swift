import Access
import Foundation
import GatewayTestSupport
import GatewayTesting
import Ingress
import XCTest

/// Holds `openapi.yaml` to the server: every route `GatewayApp` registers is described, every described operation is
/// served, and every `$ref` resolves. The routes come from the running app's router, not from a copy of the table.
final class OpenAPICoverageTests: XCTestCase {
    private static let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("openapi.yaml")

    private var outline: OpenAPIOutline!
    private var served: Set<String> = []
    /// `METHOD /pattern` → the permission name the route is registered with.
    private var permissions: [String: String] = [:]

    override func setUpWithError() throws {
        outline = OpenAPIOutline(yaml: try String(contentsOf: Self.specURL, encoding: .utf8))
        let gateway = try TestGateway()
        let routes = gateway.app.router.registeredRoutes
        served = Set(routes.map { "\($0.method) \($0.pattern)" })
        permissions = Dictionary(uniqueKeysWithValues: routes.map {
            ("\($0.method) \($0.pattern)", $0.permission.name)
        })
        gateway.shutdown()
    }

    func testEveryServedRouteIsDescribed() {
        XCTAssertGreaterThan(served.count, 20, "the router lists its routes")
        for route in served.subtracting(outline.operations).sorted() {
            XCTFail("\(route) is served but missing from openapi.yaml `paths`")
        }
    }

    func testEveryDescribedOperationIsServed() {
        XCTAssertEqual(outline.operations.count, served.count, "openapi.yaml describes as many operations as are served")
        for operation in outline.operations.subtracting(served).sorted() {
            XCTFail("\(operation) is in openapi.yaml but no route serves it")
        }
    }

    /// The permission table is documented where clients read it: each operation's `x-permission` is the one its route
    /// is registered with (`open` for the signed webhooks, probes and the sign-in).
    func testEveryOperationStatesThePermissionItsRouteIsRegisteredWith() {
        for (route, permission) in permissions.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(outline.permissions[route], permission, "x-permission of \(route) in openapi.yaml")
        }
    }

    func testTheFileKeepsItsLayoutRulesAndEveryReferenceResolves() {
        XCTAssertEqual(outline.violations, [])
        XCTAssertGreaterThan(outline.references.count, 100)
        XCTAssertEqual(outline.unresolvedReferences, [])
    }

    /// The reader itself: it must see operations only at their own level and catch what the rules forbid, or the
    /// checks above could pass on a file they cannot read.
    func testTheOutlineReaderFollowsTheRules() {
        let sample = """
            paths:
              /v1/things/{id}:
                parameters:
                  - $ref: '#/components/parameters/Id'
                get:
                  summary: Reads a thing: by id
                  description: 'quoted: fine'
                  responses:
                    '200':
                      content:
                        application/json:
                          schema:
                            properties:
                              post:
                                $ref: "#/components/schemas/Missing"
                gett:
              oops:
            components:
              parameters:
                Id:
                  name: id
            \tx: 1
            """
        let read = OpenAPIOutline(yaml: sample)
        XCTAssertEqual(read.operations, ["GET /v1/things/{id}"])
        XCTAssertEqual(read.components, ["parameters/Id"])
        XCTAssertEqual(read.unresolvedReferences, ["line 15: #/components/schemas/Missing"])
        XCTAssertEqual(read.violations.count, 4, "\(read.violations)")
        XCTAssertTrue(read.violations.contains("line 6: a plain value holding `: ` must be quoted"), "\(read.violations)")
    }
}
