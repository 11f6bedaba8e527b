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

    override func setUpWithError() throws {
        outline = OpenAPIOutline(yaml: try String(contentsOf: Self.specURL, encoding: .utf8))
        let gateway = try TestGateway()
        served = Set(gateway.app.router.registeredRoutes.map { "\($0.method) \($0.pattern)" })
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
        XCTAssertEqual(read.unresolvedReferences, ["line 13: #/components/schemas/Missing"])
        XCTAssertEqual(read.violations.count, 3, "\(read.violations)")
    }
}
