import Configuration
import Conversations
import Crypto
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPServer
import Ingress
import HTTPTesting
import XCTest

/// Media the gateway will not keep — a wrong SHA-256, over the size cap, of a type WhatsApp does not send, unknown to
/// Meta — is recorded `failed` with its reason on the message, leaves no file, and never holds up the conversation.
final class InboundMediaBadInputTests: MediaTestCase {
    override func configure(_ config: inout GatewayConfig) {
        config.media.maxBytes = 2_048
        config.media.maxAttempts = 3
    }

    private func fileRequests() -> [String] {
        cloud.received.map(\.path).filter { $0.hasPrefix("/files/") }
    }

    func testAWrongSha256IsRecordedFailedAndTheFileDiscarded() throws {
        library["img-1"] = CloudMedia("the real bytes", mimeType: "image/jpeg", sha256: String(repeating: "ab", count: 32))
        let id = try customerSendsMedia("img-1")
        let download = try waitForDownload(id, "failed")
        XCTAssertEqual(download["reason"], "sha256_mismatch")
        XCTAssertTrue(download["detail"]?.stringValue?.contains(SHA256Digest.hexHash(Array("the real bytes".utf8))) ?? false)
        XCTAssertEqual(storedFiles(), [])
        XCTAssertEqual(try media(id).status, 404)
        XCTAssertEqual(download["url"], nil)
    }

    func testTheWebhooksSha256IsCheckedTooAndBase64IsAccepted() throws {
        let bytes = Array("sticker bytes".utf8)
        library["st-1"] = CloudMedia("sticker bytes", mimeType: "image/webp", sha256: Base64.encode(SHA256Digest.hash(bytes)))
        let good = try customerSendsMedia("st-1", type: "sticker", mimeType: "image/webp")
        XCTAssertEqual(try waitForDownload(good, "stored")["sha256"]?.stringValue, SHA256Digest.hexHash(bytes))
        library["st-2"] = CloudMedia("sticker bytes", mimeType: "image/webp", sha256: nil)
        let lying = try customerSendsMedia("st-2", type: "sticker", mimeType: "image/webp",
                                           sha256: String(repeating: "0", count: 64))
        XCTAssertEqual(try waitForDownload(lying, "failed")["reason"], "sha256_mismatch")
    }

    func testADeclaredSizeOverTheCapIsRefusedWithoutDownloading() throws {
        library["big-1"] = CloudMedia("small really", mimeType: "image/jpeg", fileSize: 6 * 1_048_576)
        let id = try customerSendsMedia("big-1")
        let download = try waitForDownload(id, "failed")
        XCTAssertEqual(download["reason"], "too_large")
        XCTAssertEqual(download["size_bytes"], 6_291_456)
        XCTAssertEqual(fileRequests(), [], "nothing over the cap is downloaded")
        XCTAssertEqual(storedFiles(), [])
    }

    func testAFileOverTheCapWithoutADeclaredSizeIsRefusedWhenItPassesIt() throws {
        library["big-2"] = CloudMedia(String(repeating: "x", count: 2_049), mimeType: "video/mp4", fileSize: nil)
        let id = try customerSendsMedia("big-2", type: "video", mimeType: "video/mp4")
        XCTAssertEqual(try waitForDownload(id, "failed")["reason"], "too_large")
        XCTAssertEqual(storedFiles(), [])
        library["fits"] = CloudMedia(String(repeating: "x", count: 2_048), mimeType: "video/mp4", fileSize: nil)
        try waitForDownload(try customerSendsMedia("fits", type: "video", mimeType: "video/mp4"), "stored")
    }

    func testARefusedTypeIsRecordedFailedWithoutDownloading() throws {
        library["exe"] = CloudMedia("MZ executable", mimeType: "application/x-msdownload")
        let id = try customerSendsMedia("exe", type: "document", mimeType: "application/x-msdownload",
                                        filename: "invoice.exe")
        let download = try waitForDownload(id, "failed")
        XCTAssertEqual(download["reason"], "refused_type")
        XCTAssertEqual(download["mime_type"], "application/x-msdownload")
        library["gif"] = CloudMedia("GIF89a", mimeType: "image/gif")
        XCTAssertEqual(try waitForDownload(try customerSendsMedia("gif", mimeType: "image/gif"), "failed")["reason"],
                       "refused_type")
        XCTAssertEqual(fileRequests(), [])
        XCTAssertEqual(storedFiles(), [])
    }

    func testMediaMetaDoesNotKnowIsFailedAndTheConversationGoesOn() throws {
        let id = try customerSendsMedia("no-such-media")
        let download = try waitForDownload(id, "failed")
        XCTAssertEqual(download["reason"], "not_found")
        XCTAssertTrue(download["detail"]?.stringValue?.contains("HTTP 400 (#100) Invalid parameter") ?? false,
                      "\(download)")
        try gateway.customerSays("did you get my photo?")
        XCTAssertEqual(try gateway.ticketList(try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value), "messages").count, 2)
    }

    func testAnUnavailableCloudAPIIsRetriedThenStored() throws {
        library["img-r"] = CloudMedia("retry me", mimeType: "image/png", metadataFailures: [500])
        let id = try customerSendsMedia("img-r", mimeType: "image/png")
        eventually("first attempt") { try download(of: id)?["reason"] == "unavailable" }
        XCTAssertEqual(try download(of: id)?["status"], "pending")
        XCTAssertTrue(try gateway.request("GET", "/metrics").text.contains("\ngateway_media_downloads_pending 1\n"))
        gateway.advanceClock(milliseconds: 30_000)
        gateway.app.mediaDownloader.wake()
        let stored = try waitForDownload(id, "stored")
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("\ngateway_media_downloads_pending 0\n"), metrics)
        XCTAssertTrue(metrics.contains("gateway_media_downloads_total{outcome=\"retry\"} 1"), metrics)
        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/media.rules.yml"), encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_media_downloads_pending", "gateway_media_downloads_total"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }
        XCTAssertEqual(stored["attempts"], 2)
        XCTAssertEqual(stored["reason"], .null)
    }

    func testDownloadsGiveUpAfterTheLastAttempt() throws {
        library["img-x"] = CloudMedia("never", mimeType: "image/png", metadataFailures: [503, 503, 503, 503])
        let id = try customerSendsMedia("img-x", mimeType: "image/png")
        for attempt in 1...2 {
            // The retry is due media.retry_delay after the attempt, doubled for each further one.
            let delay = Int64(30_000) << Int64(attempt - 1)
            let due = String(gateway.clock.now + delay)
            eventually("attempt \(attempt) recorded") {
                try gateway.rows("SELECT next_attempt_at FROM ticket_media") == [["next_attempt_at": due]]
            }
            gateway.advanceClock(milliseconds: delay)
            gateway.app.mediaDownloader.wake()
        }
        let gaveUp = try waitForDownload(id, "failed")
        XCTAssertEqual(gaveUp["reason"], "gave_up")
        XCTAssertEqual(gaveUp["attempts"], 3)
    }

    func testTheAccessTokenIsNotSentToAPlainHTTPURLOnAnotherHost() throws {
        var media = CloudMedia("bytes", mimeType: "image/png")
        media.url = cloud.url.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/files/elsewhere"
        library["elsewhere"] = media
        let id = try customerSendsMedia("elsewhere", mimeType: "image/png")
        XCTAssertEqual(try waitForDownload(id, "failed")["reason"], "malformed")
        XCTAssertEqual(fileRequests(), [])
    }
}
