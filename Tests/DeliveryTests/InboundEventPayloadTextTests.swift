import Delivery
import GatewayKit
import XCTest

/// ``InboundEvent/payloadText`` writes messages, statuses and contacts member by member: it must be byte for byte what
/// ``JSONWriter`` makes of ``InboundEvent/toJSON()``, whichever optional members an event has.
final class InboundEventPayloadTextTests: XCTestCase {
    func testEveryStoredFormExampleIsWrittenAsTheGeneralWriterWritesIt() {
        for event in InboundEventTests.events {
            XCTAssertEqual(event.payloadText, JSONWriter.string(event.toJSON()), event.kind)
        }
    }

    func testGeneratedEventsWithEveryMixOfOptionalMembersAreWrittenAsTheGeneralWriterWritesThem() {
        var random = SplitMix(seed: 42)
        for _ in 0..<600 {
            for event in [InboundEvent.message(message(&random)), .echo(message(&random)), .status(status(&random)),
                          .contact(contact(&random))] {
                XCTAssertEqual(event.payloadText, JSONWriter.string(event.toJSON()))
            }
        }
    }

    private func message(_ r: inout SplitMix) -> InboundMessage {
        var m = InboundMessage(id: r.text("wamid."), channelID: r.text("p"), accountID: r.maybe("w"),
                               senderPhone: r.maybe("60"), senderUserID: r.maybe("MY."), timestamp: r.int(),
                               type: r.pick([.text, .image, .location, .unknown("poll_vote")]),
                               text: r.maybe("Hi \"x\"\n"))
        m.senderParentUserID = r.maybe("MY.ENT.")
        m.profileName = r.maybe("陈美玲 ")
        m.username = r.maybe("@u")
        m.media = r.flip() ? InboundMedia(id: r.text("m"), mimeType: r.maybe("image/jpeg"), sha256: r.maybe("f3"),
                                          caption: r.maybe("c 🧾"), filename: r.maybe("r.jpg")) : nil
        m.location = r.flip() ? InboundLocation(latitude: 3.25, longitude: -101, name: r.maybe("KL")) : nil
        m.interactive = r.flip()
            ? InboundInteractiveReply(kind: .buttonReply, id: r.text("b"), title: r.text("t")) : nil
        m.button = r.flip() ? InboundButtonReply(payload: r.text("STOP"), text: r.text("Stop")) : nil
        m.reaction = r.flip() ? InboundReaction(messageID: r.text("wamid."), emoji: r.maybe("❤️")) : nil
        m.order = r.flip() ? InboundOrder(catalogID: r.maybe("c"), text: r.maybe("o"),
                                          items: [.init(productID: "p", quantity: 2, price: 1.5)]) : nil
        m.sharedContacts = r.flip() ? [InboundSharedContact(name: r.maybe("n"), phones: ["1"])] : []
        m.edit = r.flip() ? InboundEdit(originalMessageID: r.text("wamid."), text: r.maybe("e")) : nil
        m.revokedMessageID = r.maybe("wamid.R")
        m.contextMessageID = r.maybe("wamid.C")
        m.forwarded = r.maybe("forwarded")
        m.referral = r.flip()
            ? InboundReferral(sourceType: "ad", sourceID: r.text("1"), sourceURL: r.maybe("https://x"),
                              headline: r.maybe("h")) : nil
        m.errors = r.flip() ? [InboundError(code: r.int(), title: r.maybe("t")), InboundError()] : []
        m.raw = r.pick([nil, .null, ["type": "poll_vote", "poll_vote": ["weight": 2.0, "n": nil]]])
        return m
    }

    private func status(_ r: inout SplitMix) -> InboundStatus {
        InboundStatus(messageID: r.text("wamid."), channelID: r.text("p"), accountID: r.maybe("w"),
                      state: r.pick([.sent, .delivered, .read, .failed, .other("deleted")]), timestamp: r.int(),
                      recipientPhone: r.maybe("1650"), recipientUserID: r.maybe("US."),
                      recipientParentUserID: r.maybe("US.ENT."), conversationID: r.maybe("c"),
                      conversationOrigin: r.maybe("service"), conversationExpiresAt: r.flip() ? r.int() : nil,
                      pricingCategory: r.maybe("service"), pricingModel: r.maybe("CBP"),
                      billable: r.flip() ? r.flip() : nil,
                      errors: r.flip() ? [InboundError(code: 131_047, title: r.maybe("t"), details: r.maybe("d"))] : [])
    }

    private func contact(_ r: inout SplitMix) -> InboundContact {
        InboundContact(channelID: r.text("p"), accountID: r.maybe("w"), waID: r.maybe("60"), userID: r.maybe("MY."),
                       parentUserID: r.maybe("MY.ENT."), profileName: r.maybe("Siti \\ \u{1}"),
                       username: r.maybe("siti"))
    }
}

/// A small deterministic generator: the same mixes on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func flip() -> Bool { next() & 1 == 1 }
    mutating func int() -> Int64 { Int64(next() % 2_000_000_000) }
    mutating func text(_ prefix: String) -> String { "\(prefix)\(next() % 1000)" }
    mutating func maybe(_ prefix: String) -> String? { flip() ? text(prefix) : nil }
    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }
}
