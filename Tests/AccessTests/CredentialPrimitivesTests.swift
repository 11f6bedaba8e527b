import Access
import Crypto
import XCTest

/// The building blocks of sign-in and access checks, checked without a server.
final class CredentialPrimitivesTests: XCTestCase {
    /// RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
    func testPBKDF2MatchesThePublishedVector() {
        let derived = PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1,
                                    byteCount: 64)
        XCTAssertEqual(Hex.encode(derived), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                       + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    func testPasswordHashesAreSaltedAndVerifyOnlyTheirPassword() {
        let first = PasswordHash.make("correct horse battery", iterations: 10_000)
        let second = PasswordHash.make("correct horse battery", iterations: 10_000)
        XCTAssertNotEqual(first, second, "a salt of its own per hash")
        XCTAssertTrue(first.hasPrefix("pbkdf2_sha256$10000$"))
        XCTAssertFalse(first.contains("correct"))
        XCTAssertTrue(PasswordHash.verify("correct horse battery", against: first))
        XCTAssertFalse(PasswordHash.verify("correct horse batterY", against: first))
        XCTAssertFalse(PasswordHash.verify("correct horse battery", against: PasswordHash.decoy(iterations: 10_000)))
        for broken in ["", "plain", "pbkdf2_sha256$0$a$b", "md5$1$a$b", "pbkdf2_sha256$10000$!!$??"] {
            XCTAssertFalse(PasswordHash.verify("x", against: broken), broken)
        }
        XCTAssertNotNil(PasswordHash.weakness(of: "short"))
        XCTAssertNotNil(PasswordHash.weakness(of: "twelve chars\u{7}!"))
        XCTAssertNil(PasswordHash.weakness(of: "correct horse battery"))
    }

    func testScopeGrantsParseCoverAndInclude() throws {
        XCTAssertEqual(AccessScope.Grant(text: "F1"), AccessScope.Grant(fid: "F1", oid: nil))
        XCTAssertEqual(AccessScope.Grant(text: "F1/O7"), AccessScope.Grant(fid: "F1", oid: "O7"))
        XCTAssertEqual(AccessScope.Grant(text: "/O7"), AccessScope.Grant(fid: nil, oid: "O7"))
        for bad in ["", "/", "F1/", "F1/O1/X", "F 1", "F1,F2", String(repeating: "x", count: 65)] {
            XCTAssertNil(AccessScope.Grant(text: bad), bad)
        }
        let franchise = AccessScope([AccessScope.Grant(fid: "F1", oid: nil)])
        XCTAssertTrue(franchise.covers(fid: "F1", oid: "O1"))
        XCTAssertFalse(franchise.covers(fid: "F2", oid: "O1"))
        XCTAssertFalse(franchise.covers(fid: nil, oid: nil), "an unlinked record is for unrestricted callers only")
        let outlet = AccessScope([AccessScope.Grant(fid: nil, oid: "O1")])
        XCTAssertTrue(outlet.covers(fid: "F9", oid: "O1"))
        XCTAssertFalse(outlet.covers(fid: "F1", oid: "O2"))
        XCTAssertTrue(AccessScope.unrestricted.covers(fid: nil, oid: nil))

        XCTAssertTrue(AccessScope.unrestricted.includes(franchise))
        XCTAssertFalse(franchise.includes(.unrestricted), "a scoped holder cannot grant everything")
        XCTAssertTrue(franchise.includes(AccessScope([AccessScope.Grant(fid: "F1", oid: "O3")])))
        XCTAssertFalse(franchise.includes(AccessScope([AccessScope.Grant(fid: nil, oid: "O3")])),
                       "an outlet of any franchise is more than one franchise")
        XCTAssertFalse(outlet.includes(franchise))
    }

    func testRolesAreLeastPrivilege() {
        XCTAssertEqual(Role.admin.permissions, Set(Permission.allCases))
        for role in [Role.agent, .sales, .renewal] {
            for adminOnly in [Permission.usersManage, .auditRead, .deliveryManage, .outletsWrite] {
                XCTAssertFalse(role.allows(adminOnly), "\(role) must not have \(adminOnly)")
            }
        }
        XCTAssertFalse(Role.agent.allows(.dealsWrite))
        XCTAssertTrue(Role.sales.allows(.dealsWrite))
        XCTAssertTrue(Role.renewal.allows(.renewalsRead))
        XCTAssertFalse(Role.agent.allows(.renewalsRead))
    }

    func testSecretsHaveOneShapeAndCookiesAreReadByName() {
        let secret = CredentialSecret.make(prefix: CredentialSecret.tokenPrefix)
        XCTAssertTrue(CredentialSecret.isWellFormed(secret, prefix: CredentialSecret.tokenPrefix))
        XCTAssertFalse(CredentialSecret.isWellFormed(secret, prefix: CredentialSecret.sessionPrefix))
        XCTAssertFalse(CredentialSecret.isWellFormed(secret + "x", prefix: CredentialSecret.tokenPrefix))
        XCTAssertFalse(CredentialSecret.isWellFormed(String(secret.dropLast()) + "=", prefix: "gwt_"))
        XCTAssertEqual(CredentialSecret.digest(secret).count, 64)
        XCTAssertEqual(Authenticator.cookieValue("a=1; gateway_session=gws_x; b=2", named: "gateway_session"), "gws_x")
        XCTAssertNil(Authenticator.cookieValue("xgateway_session=1", named: "gateway_session"))
        XCTAssertNotEqual(Authenticator.csrfToken(for: "gws_a"), Authenticator.csrfToken(for: "gws_b"))
    }
}
