import Access
import Configuration
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// The allow-list of networks and the rate limits in front of `/v1` and the console.
final class PerimeterTests: XCTestCase {
    func testNetworkRangesMatchAddressesOfTheirFamily() throws {
        let private10 = try XCTUnwrap(NetworkRange("10.0.0.0/8"))
        XCTAssertTrue(private10.contains("10.200.3.4"))
        XCTAssertTrue(private10.contains("::ffff:10.1.2.3"), "an IPv4-mapped address counts as IPv4")
        XCTAssertFalse(private10.contains("11.0.0.1"))
        XCTAssertFalse(private10.contains("::1"))
        XCTAssertTrue(try XCTUnwrap(NetworkRange("192.168.1.5")).contains("192.168.1.5"))
        XCTAssertFalse(try XCTUnwrap(NetworkRange("192.168.1.5")).contains("192.168.1.6"))
        XCTAssertTrue(try XCTUnwrap(NetworkRange("fd00::/8")).contains("fd12:3456::1"))
        XCTAssertTrue(try XCTUnwrap(NetworkRange("0.0.0.0/0")).contains("8.8.8.8"))
        XCTAssertTrue(try XCTUnwrap(NetworkRange("10.1.2.3/20")).contains("10.1.15.255"), "host bits are masked")
        for bad in ["", "10.0.0.0/33", "10.0.0/8", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "host.example", "::1/+8"] {
            XCTAssertNil(NetworkRange(bad), bad)
        }
    }

    func testAddressesOutsideTheAllowListGet403OnV1Only() throws {
        let gateway = try TestGateway { $0.access.allowedNetworks = ["10.0.0.0/8", "fd00::/8"] }
        defer { gateway.shutdown() }
        let refused = try gateway.admin("GET", "/v1/deals")
        XCTAssertEqual(refused.status, 403)
        XCTAssertTrue(refused.text.contains("127.0.0.1"), refused.text)
        XCTAssertEqual(try gateway.signIn(email: "a@example.com", password: "whatever it is").status, 403,
                       "the sign-in is behind the allow-list too")
        XCTAssertEqual(try gateway.request("GET", "/healthz").status, 200)
        XCTAssertEqual(try gateway.postWhatsApp(Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8))
            .status, 200, "webhooks come from Meta and bots, not from operators")

        let open = try TestGateway { $0.access.allowedNetworks = ["127.0.0.0/8"] }
        defer { open.shutdown() }
        XCTAssertEqual(try open.admin("GET", "/v1/deals").status, 200)
    }

    func testEachCredentialAndEachAddressIsRateLimited() throws {
        let gateway = try TestGateway { config in
            config.access.requestsPerCredentialPerSecond = 1
            config.access.requestsPerCredentialBurst = 3
        }
        defer { gateway.shutdown() }
        let token = try gateway.token(role: "sales")
        for _ in 1...3 { XCTAssertEqual(try gateway.admin("GET", "/v1/deals", token: token).status, 200) }
        let limited = try gateway.admin("GET", "/v1/deals", token: token)
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header(named: "Retry-After"), "1")
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals").status, 200, "another credential has its own budget")
        gateway.clock.advance(milliseconds: 1_000)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals", token: token).status, 200)

        let byAddress = try TestGateway { config in
            config.access.requestsPerAddressPerSecond = 2
            config.access.requestsPerAddressBurst = 2
        }
        defer { byAddress.shutdown() }
        XCTAssertEqual(try byAddress.signIn(email: "a@example.com", password: "wrong password").status, 401)
        XCTAssertEqual(try byAddress.admin("GET", "/v1/deals", token: "gwt_guess").status, 401)
        XCTAssertEqual(try byAddress.admin("GET", "/v1/deals").status, 429, "counted before the credential")
        XCTAssertEqual(try byAddress.request("GET", "/healthz").status, 200)
    }

    func testBadPerimeterSettingsNameTheKey() throws {
        XCTAssertThrowsError(try ConfigLoader.load(file: nil, environment: ["GATEWAY_ALLOWED_NETWORKS": "10.0.0.0/8, nope"])) {
            XCTAssertTrue("\($0)".contains("GATEWAY_ALLOWED_NETWORKS[1]"), "\($0)")
        }
        let config = try ConfigLoader.load(file: nil, environment: ["GATEWAY_ALLOWED_NETWORKS": "10.0.0.0/8, ::1"])
        XCTAssertEqual(config.access.allowedNetworks, ["10.0.0.0/8", "::1"])
    }
}
