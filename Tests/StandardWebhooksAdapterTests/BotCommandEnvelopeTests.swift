import CRM
import GatewayKit
import StandardWebhooksAdapter
import XCTest

/// The command envelope bots and agents post: a known `type` and a `data` object the record reader accepts, every
/// problem named by its JSON path.
final class BotCommandEnvelopeTests: XCTestCase {
    private func parse(_ text: String) throws -> Result<BotCommand, GatewayError> {
        BotCommandEnvelope.parse(try JSONParser.parse(Array(text.utf8)))
    }

    private func fields(_ result: Result<BotCommand, GatewayError>) -> [String] {
        guard case .failure(.validation(let errors)) = result else { return [] }
        return errors.map(\.field).sorted()
    }

    func testADealCreatedCommandBecomesItsRecordCommand() throws {
        let result = try parse(#"{"type":"deal.created","data":{"name":"POS upgrade","room_id":"room-1"}}"#)
        guard case .success(let command) = result else { return XCTFail("refused: \(result)") }
        XCTAssertEqual(command.type, .dealCreated)
        XCTAssertEqual(command.data["name"], "POS upgrade")
        XCTAssertEqual(command.json["type"], "deal.created")
    }

    func testEveryProblemIsNamedByItsPath() throws {
        XCTAssertEqual(fields(try parse("[1, 2]")), ["body"])
        XCTAssertEqual(fields(try parse(#"{"data":{}}"#)), ["type"])
        XCTAssertEqual(fields(try parse(#"{"type":"deal.exploded"}"#)), ["data", "type"])
        XCTAssertEqual(fields(try parse(#"{"type":"deal.created","data":[]}"#)), ["data"])
        XCTAssertEqual(fields(try parse(#"{"type":"deal.created","data":{"name":7,"size":"big","room_id":1}}"#)),
                       ["data.name", "data.room_id", "data.size"])
    }
}
