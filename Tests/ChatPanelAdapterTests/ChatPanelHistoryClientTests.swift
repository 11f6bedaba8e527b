import CRM
@testable import ChatPanelAdapter
import Delivery
import HTTPClient
import XCTest

/// The chat panel's answers as the timeline worker sees them: a preview, or a failure class that says whether to retry.
final class ChatPanelHistoryClientTests: XCTestCase {
    func testChatPanelAnswersMapToPreviewOrFailureClass() {
        func result(_ status: Int, _ body: String = "") -> ChatHistoryResult {
            ChatPanelHistoryClient.result(.success(ClientResponse(status: status, headers: [], body: Array(body.utf8))),
                                          maxCharacters: 20)
        }
        XCTAssertEqual(result(200, #"{"messages":[{"sender":"A","text":"hi"},{"type":"image"},{"text":""}]}"#),
                       .preview("A: hi\n[image]"))
        XCTAssertEqual(result(200, #"{"messages":[{"text":"0123456789012345678901234"}]}"#),
                       .preview("0123456789012345678…"))
        XCTAssertEqual(result(200, "{}").failure?.reason, "invalid_response")
        XCTAssertEqual(result(503).failure?.retryable, true)
        XCTAssertEqual(result(429).failure?.retryable, true)
        XCTAssertEqual(result(404).failure?.retryable, false)
        XCTAssertEqual(result(401).failure?.reason, "http_4xx")
        let timeout = ChatPanelHistoryClient.result(.failure(.timedOut("slow")), maxCharacters: 20)
        XCTAssertEqual(timeout.failure, ChatHistoryFailure(reason: "timeout", detail: "slow", retryable: true))
        XCTAssertEqual(ChatPanelHistoryClient.result(.failure(.couldNotConnect("refused")), maxCharacters: 20)
                        .failure?.reason, "connection")
    }
}

private extension ChatHistoryResult {
    var failure: ChatHistoryFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}
