import Configuration
import Conversations
import Crypto
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// After `media.retention` a stored file is removed and its message's media `expired` (410), unless another message
/// still within retention has the same bytes; erasing the customer's personal data removes their files at once.
final class MediaRetentionTests: MediaTestCase {
    override func configure(_ config: inout GatewayConfig) {
        config.media.retentionMilliseconds = 180 * 86_400_000
    }

    private func sweep() {
        gateway.app.retention.wake()
    }

    func testAnExpiredFileIsRemovedAndAnswers410WhileSharedBytesStay() throws {
        library["old"] = CloudMedia("same bytes", mimeType: "image/png")
        library["other"] = CloudMedia("other bytes", mimeType: "image/png")
        let old = try customerSendsMedia("old", mimeType: "image/png")
        let other = try customerSendsMedia("other", mimeType: "image/png")
        try waitForDownload(old, "stored")
        try waitForDownload(other, "stored")
        gateway.advance(minutes: 100 * 24 * 60)
        library["new"] = CloudMedia("same bytes", mimeType: "image/png")
        let new = try customerSendsMedia("new", mimeType: "image/png")
        try waitForDownload(new, "stored")
        XCTAssertEqual(storedFiles().count, 2)

        gateway.advance(minutes: 81 * 24 * 60)
        sweep()
        let expired = try waitForDownload(old, "expired")
        XCTAssertNotEqual(expired["expired_at"], .null)
        XCTAssertEqual(try waitForDownload(other, "expired")["url"], nil)
        let otherSHA = SHA256Digest.hexHash(Array("other bytes".utf8))
        eventually("the unshared file removed") { !storedFiles().contains { $0.hasSuffix(otherSHA) } }
        XCTAssertEqual(storedFiles().count, 1, "the bytes a newer message still has are kept")
        let gone = try media(old)
        XCTAssertEqual(gone.status, 410)
        XCTAssertEqual(gone.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(try media(new).text, "same bytes")

        gateway.advance(minutes: 100 * 24 * 60)
        sweep()
        try waitForDownload(new, "expired")
        eventually("every file removed") { storedFiles().isEmpty }
    }

    func testErasingTheCustomerRemovesTheirFilesAndForgetsTheMediaIds() throws {
        library["img-e"] = CloudMedia("private photo", mimeType: "image/jpeg")
        let id = try customerSendsMedia("img-e")
        try waitForDownload(id, "stored")
        let contact = try XCTUnwrap(gateway.admin("GET", "/v1/contacts?phone=%2B60123456789").json?["id"]?.stringValue)
        let export = try gateway.admin("GET", "/v1/contacts/\(contact)/export")
        XCTAssertEqual(export.json?["media"]?.arrayValue?.first?["url"]?.stringValue, "/v1/media/\(id)", export.text)
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/\(contact)/erasure").status, 200)
        eventually("the file removed") { storedFiles().isEmpty }
        XCTAssertEqual(try media(id).status, 410)
        XCTAssertEqual(try gateway.rows("SELECT status, media_id FROM ticket_media"), [["status": "erased", "media_id": ""]])
    }
}
