import CRM
import Conversations
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// The agent workflow on `/v1/tickets/{id}/…` — statuses, reopen, assignment, category, outcome,
/// internal notes — each change in the ticket's history.
final class TicketWorkflowTests: OneTicketTestCase {
    private func move(_ status: String, outcome: String? = nil, file: StaticString = #filePath,
                      line: UInt = #line) throws -> JSONValue? {
        let extra = outcome.map { #","outcome":"\#($0)""# } ?? ""
        let response = try gateway.ticketAction(id, "status", #"{"status":"\#(status)"\#(extra),"actor":"agent-7"}"#,
                                                file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return response.json
    }

    private func refusedMove(_ status: String, from: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try gateway.ticketAction(id, "status", #"{"status":"\#(status)","actor":"agent-7"}"#)
        XCTAssertEqual(response.status, 409, response.text, file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", file: file, line: line)
        XCTAssertEqual(response.json?["from_status"]?.stringValue, from, file: file, line: line)
        XCTAssertEqual(response.json?["to_status"]?.stringValue, status, file: file, line: line)
        XCTAssertEqual(response.json?["detail"]?.stringValue, "a ticket cannot move from \(from) to \(status)",
                       file: file, line: line)
    }

    func testEveryAllowedMoveAndTheRefusedOnes() throws {
        try refusedMove("open", from: "open")
        XCTAssertEqual(try move("pending")?["status"], "pending")
        try refusedMove("pending", from: "pending")
        XCTAssertEqual(try move("open")?["status"], "open")
        let resolved = try move("resolved", outcome: "fixed")
        XCTAssertEqual(resolved?["status"], "resolved")
        XCTAssertEqual(resolved?["outcome"], "fixed")
        XCTAssertEqual(resolved?["resolved_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        try refusedMove("pending", from: "resolved")
        let reopened = try move("open")
        XCTAssertEqual(reopened?["reopen_count"], 1, "an agent reopen is counted too")
        XCTAssertEqual(reopened?["resolved_at"], .null)
        XCTAssertEqual(try move("resolved")?["status"], "resolved")
        let closed = try move("closed")
        XCTAssertEqual(closed?["closed_at"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        for target in ["open", "pending", "resolved", "closed"] { try refusedMove(target, from: "closed") }

        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(JSONValue.array(history).actions, ["opened", "status_changed", "status_changed",
                                                          "outcome_changed", "status_changed", "reopened",
                                                          "status_changed", "status_changed"])
        XCTAssertEqual(history.dropFirst().map { "\($0["from"]?.stringValue ?? "-")>\($0["to"]?.stringValue ?? "-")" },
                       ["open>pending", "pending>open", "->fixed", "open>resolved", "resolved>open", "open>resolved",
                        "resolved>closed"])
        XCTAssertTrue(history.dropFirst().allSatisfy { $0["actor"] == "agent-7" })
        XCTAssertEqual(history[5]["detail"]?["reopen_count"], 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)").json?["version"], 7, "one version per change request")
    }

    func testOpenAndPendingMayCloseDirectly() throws {
        XCTAssertEqual(try move("pending")?["status"], "pending")
        XCTAssertEqual(try move("closed")?["status"], "closed")
    }

    func testAssignmentCategoryAndOutcomeAreRecordedAndClearable() throws {
        var response = try gateway.ticketAction(id, "assignment", #"{"assignee":"agent-7","actor":"lead-1"}"#)
        XCTAssertEqual(response.json?["assignee"], "agent-7")
        response = try gateway.ticketAction(id, "assignment", #"{"assignee":"agent-7","actor":"lead-1"}"#)
        XCTAssertEqual(response.status, 200, "assigning the current assignee is a no-op")
        response = try gateway.ticketAction(id, "category", #"{"category":"billing","actor":"agent-7"}"#)
        XCTAssertEqual(response.json?["category"], "billing")
        response = try gateway.ticketAction(id, "outcome", #"{"outcome":"refund issued","actor":"agent-7"}"#)
        XCTAssertEqual(response.json?["outcome"], "refund issued")
        response = try gateway.ticketAction(id, "assignment", #"{"assignee":null,"actor":"lead-1"}"#)
        XCTAssertEqual(response.json?["assignee"], .null)

        let history = try gateway.ticketList(id, "history")
        XCTAssertEqual(JSONValue.array(history).actions,
                       ["opened", "assigned", "category_changed", "outcome_changed", "assigned"])
        XCTAssertEqual(history[1]["to"], "agent-7")
        XCTAssertEqual(history[1]["actor"], "lead-1")
        XCTAssertEqual(history[4]["from"], "agent-7")
        XCTAssertEqual(history[4]["to"], .null)
        XCTAssertEqual(try gateway.conversationTickets("assignee=agent-7").count, 0)
        try gateway.ticketAction(id, "assignment", #"{"assignee":"agent-9","actor":"lead-1"}"#)
        XCTAssertEqual(try gateway.conversationTickets("assignee=agent-9&status=open&queue=support").count, 1)
        XCTAssertEqual(try gateway.conversationTickets("assignee=agent-9&status=pending").count, 0)
    }

    func testInternalNotesStayOutOfTheConversation() throws {
        let response = try gateway.ticketAction(id, "notes", #"{"text":"Customer is a VIP, be gentle","actor":"agent-7"}"#)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertEqual(response.json?["text"], "Customer is a VIP, be gentle")
        XCTAssertEqual(response.json?["author"], "agent-7")
        let noteID = try XCTUnwrap(response.json?["id"]?.int64Value)

        let notes = try gateway.ticketList(id, "notes")
        XCTAssertEqual(notes.map { $0["text"] }, ["Customer is a VIP, be gentle"])
        let messages = try gateway.ticketList(id, "messages")
        XCTAssertEqual(messages.map { $0["text"] }, ["hello"], "a note is never part of the conversation")
        XCTAssertEqual(try gateway.count("outbox", "body LIKE '%VIP%'"), 0, "nothing about a note goes out")
        let added = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(added["action"], "note_added")
        XCTAssertEqual(added["to"]?.stringValue, String(noteID))
    }

    func testWorkflowListsPageOldestFirst() throws {
        for n in 1...3 { try gateway.ticketAction(id, "notes", #"{"text":"n\#(n)","actor":"a"}"#) }
        let first = try gateway.admin("GET", "/v1/tickets/\(id)/notes?limit=2").json
        XCTAssertEqual(first?["items"]?.arrayValue?.map { $0["text"] }, ["n1", "n2"])
        let cursor = try XCTUnwrap(first?["next_cursor"]?.stringValue)
        let second = try gateway.admin("GET", "/v1/tickets/\(id)/notes?limit=2&cursor=\(cursor)").json
        XCTAssertEqual(second?["items"]?.arrayValue?.map { $0["text"] }, ["n3"])
        XCTAssertEqual(second?["next_cursor"], .null)
    }

    func testRecordPatchCannotBypassTheWorkflow() throws {
        let refused = try gateway.admin("PATCH", "/v1/tickets/\(id)", body: #"{"status":"closed","assignee":"x"}"#)
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertEqual(ClientResponseSummary(refused).fields.sorted(), ["assignee", "status"])
        XCTAssertEqual(try gateway.onlyTicket()["status"], "open")

        let sameStatus = try gateway.admin("PATCH", "/v1/tickets/\(id)", body: #"{"status":"open","priority":"high"}"#)
        XCTAssertEqual(sameStatus.status, 200, "restating the current status changes nothing: allowed")
        XCTAssertEqual(sameStatus.json?["priority"], "high")
        let updated = try XCTUnwrap(gateway.ticketList(id, "history").last)
        XCTAssertEqual(updated["action"], "updated")
        XCTAssertEqual(updated["actor"], "api")
        XCTAssertEqual(updated["detail"]?["changed"], ["priority"])
        let botTicket = try gateway.createTicket(#"{"name":"bot","status":"solved"}"#)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/tickets/\(botTicket)", body: #"{"status":"x"}"#).status, 200,
                       "bot/AI tickets keep their free-form status")
        let workflow = try gateway.ticketAction(botTicket, "status", #"{"status":"open","actor":"a"}"#)
        XCTAssertEqual(workflow.status, 409, "a free-form status is not a workflow status")

        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tickets/\(id)").status, 204)
        XCTAssertEqual(try gateway.count("ticket_history", "ticket_id = \(id) AND action = 'deleted'"), 1)
        XCTAssertEqual(try gateway.ticketAction(id, "status", #"{"status":"closed","actor":"a"}"#).status, 404)
        try gateway.customerSays("hello again")
        XCTAssertEqual(try gateway.onlyTicket()["id"]?.int64Value.map { $0 != id }, true,
                       "a deleted ticket gets no more messages")
    }

    func testObserversRunInsideTheTransition() throws {
        let store = gateway.app.store
        let seen = TransitionLog()
        let workflow = TicketWorkflow(sla: TicketSLA(settings: TicketSettings()), observers: [seen])
        try store.database.write { [id] c in
            try workflow.changeStatus(ticketID: id, to: .resolved, outcome: nil, actor: "a", now: 5, in: c)
        }
        XCTAssertEqual(seen.transitions.map { "\($0.from)>\($0.to)" }, ["open>resolved"])
        XCTAssertEqual(seen.transitions.first?.ticket.resolvedAt, 5)

        let refusing = TicketWorkflow(sla: TicketSLA(settings: TicketSettings()), observers: [RefusingObserver()])
        XCTAssertThrowsError(try store.database.write { [id] c in
            try refusing.changeStatus(ticketID: id, to: .open, outcome: nil, actor: "a", now: 6, in: c)
        })
        XCTAssertEqual(try gateway.onlyTicket()["status"], "resolved", "an observer's failure undoes the change")
        XCTAssertEqual(try gateway.onlyTicket()["reopen_count"], 0)
    }
}

/// Records the transitions it is told of.
private final class TransitionLog: TicketTransitionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [TicketTransition] = []
    var transitions: [TicketTransition] { lock.lock(); defer { lock.unlock() }; return seen }
    func ticketMoved(_ transition: TicketTransition, in connection: any DatabaseConnection) throws {
        lock.lock()
        seen.append(transition)
        lock.unlock()
    }
}

private struct RefusingObserver: TicketTransitionObserver {
    struct Refused: Error {}
    func ticketMoved(_ transition: TicketTransition, in connection: any DatabaseConnection) throws { throw Refused() }
}
