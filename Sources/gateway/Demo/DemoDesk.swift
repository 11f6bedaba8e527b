import Foundation
import GatewayKit
import HTTPClient

/// The desk around the demo traffic, set up with `ADMIN_TOKEN`: outlets whose phones some demo customers write from
/// (their tickets arrive linked), canned replies and knowledge-base articles in English and Bahasa Malaysia, the demo
/// agent; and once the tickets are there, the work an agent would have started — two tickets assigned, a note, a
/// reply (which stops the first-response clock and moves the analytics), one ticket pending and one resolved.
struct DemoDesk {
    static let agentEmail = "agent@demo.example"
    static let agentPassword = "demo-agent-password"

    let requests: DemoRequests
    /// Whether the gateway can send WhatsApp messages (`WHATSAPP_PHONE_NUMBER_ID` is set): only then is a reply sent.
    let canReply: Bool

    /// What the tickets need before the customers write.
    func prepare() throws {
        for (oid, name, customer) in [("O1001", "Kopi Co Bangsar", 0), ("O1002", "Kopi Co Shah Alam", 2)] {
            let outlet: JSONValue = ["fid": "F100", "franchise_name": "Kopi Co", "name": .string(name),
                                     "phones": [.string("+" + DemoTraffic.customers[customer].phone)],
                                     "expiry_date": "2027-12-31", "status": "active"]
            try requests.admin("added the outlet \(name) (\(oid))", "POST", "/v1/pos/outlets/\(oid)", outlet,
                               expecting: [200, 201])
        }
        for (name, language, text) in [
            ("greeting", "en", "Hi {{contact.name}}, this is {{agent.name}} from support about {{ticket.ref}}."),
            ("greeting", "ms", "Hai {{contact.name}}, saya {{agent.name}} dari sokongan tentang {{ticket.ref}}."),
            ("printer_restart", "en", "Please switch the printer off for ten seconds and on again, then print a test receipt."),
            ("printer_restart", "ms", "Sila matikan pencetak selama sepuluh saat dan hidupkan semula, kemudian cetak resit ujian."),
        ] {
            try requests.admin("added the canned reply \(name) (\(language))", "POST", "/v1/canned-replies",
                               ["name": .string(name), "language": .string(language), "text": .string(text),
                                "tags": ["demo"]], expecting: [201, 409])
        }
        for (title, body) in [
            ("Receipt printer does not print", "Check the paper roll faces down, then hold the feed button for five seconds until the light blinks. Still nothing: restart the POS app."),
            ("Reset kata laluan", "Buka Tetapan > Pengguna, pilih pengguna dan tekan Reset. Kata laluan sementara dihantar melalui SMS."),
        ] where try !articleExists(title) {
            try requests.admin("added the knowledge-base article \"\(title)\"", "POST", "/v1/kb/articles",
                               ["title": .string(title), "body": .string(body), "tags": ["demo"]], expecting: [201])
        }
        try requests.admin("added the demo agent \(Self.agentEmail) (password \(Self.agentPassword))", "POST", "/v1/users",
                           ["email": .string(Self.agentEmail), "password": .string(Self.agentPassword),
                            "role": "agent", "name": "Demo agent"], expecting: [201, 409])
    }

    /// The agent's first moves on the demo tickets, once the gateway has filed the messages.
    func work() throws {
        let tickets = try waitForTickets()
        for customer in [0, 2] {
            try requests.admin("assigned \(ref(tickets[customer])) to \(Self.agentEmail)", "POST",
                               "/v1/tickets/\(tickets[customer])/assignment",
                               ["assignee": .string(Self.agentEmail)], expecting: [200])
        }
        try requests.admin("added an internal note on \(ref(tickets[5]))", "POST", "/v1/tickets/\(tickets[5])/notes",
                           ["text": "Terminal offline at three outlets: asked the merchant to restart the router."],
                           expecting: [201])
        if canReply {
            try requests.admin("replied on \(ref(tickets[0])) (its first response; WhatsApp sends it through the outbox)", "POST",
                               "/v1/tickets/\(tickets[0])/messages",
                               ["text": "Hi Aisyah, we are checking the printer with you now."], expecting: [202])
        } else {
            print("skipped the agent's reply: WHATSAPP_PHONE_NUMBER_ID is not set")
        }
        // Again on a later run: the customer's new message reopened it, or it is already there (409).
        try requests.admin("moved \(ref(tickets[4])) to pending", "POST", "/v1/tickets/\(tickets[4])/status",
                           ["status": "pending"], expecting: [200, 409])
        try requests.admin("resolved \(ref(tickets[1])) (its satisfaction survey goes out through WhatsApp)",
                           "POST", "/v1/tickets/\(tickets[1])/status", ["status": "resolved"], expecting: [200, 409])
    }

    /// The demo customers' ticket ids, in the order of ``DemoTraffic/customers``, once all are filed (10 s at most).
    private func waitForTickets() throws -> [Int64] {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let listed = try requests.read("the tickets", "/v1/tickets?channel=whatsapp&limit=200")["items"]?.arrayValue ?? []
            let ids = DemoTraffic.customers.map { customer in
                listed.first { $0["name"]?.stringValue == "WhatsApp: \(customer.name)" }?["id"]?.int64Value
            }
            if ids.allSatisfy({ $0 != nil }) { return ids.compactMap { $0 } }
            guard Date() < deadline else {
                throw DemoRequests.Stop(message: "demo: the gateway has not filed the demo messages as tickets within 10 seconds")
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    private func articleExists(_ title: String) throws -> Bool {
        let query = title.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? title
        let found = try requests.read("the knowledge base", "/v1/kb/articles?q=\(query)")["items"]?.arrayValue ?? []
        return found.contains { $0["title"]?.stringValue == title }
    }

    private func ref(_ id: Int64) -> String { "T-\(id)" }
}
