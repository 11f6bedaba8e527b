import Crypto
import Delivery
import Foundation
import GatewayKit

/// The sample traffic of `gateway demo`, signed the way WhatsApp and the chatbot sign theirs: customers writing in
/// English and Bahasa Malaysia (support questions and sales leads, so both queues and both languages fill), and a
/// deal a chatbot qualified.
enum DemoTraffic {
    /// (name, phone without `+`, words).
    static let customers: [(name: String, phone: String, text: String)] = [
        ("Aisyah Rahman", "60123450001", "Hi, my receipt printer is broken and cannot print since this morning"),
        ("Tan Wei Ming", "60123450002", "Berapa harga pakej premium? Saya berminat untuk outlet kedua"),
        ("Nurul Huda", "60123450003", "Mesin POS saya rosak, tak boleh cetak resit"),
        ("Daniel Lee", "60123450004", "I am interested in your pricing for three outlets, can someone call me?"),
        ("Siti Aminah", "60123450005", "Login tak boleh, kata laluan salah walaupun betul"),
        ("Ravi Kumar", "60123450006", "The card terminal is offline again, customers are waiting"),
    ]

    /// One WhatsApp Cloud API webhook carrying every customer's message (each sent at `seconds`).
    static func whatsAppBody(seconds: Int64, run: String) -> [UInt8] {
        let contacts: [JSONValue] = customers.map { ["wa_id": .string($0.phone), "profile": ["name": .string($0.name)]] }
        let messages: [JSONValue] = customers.enumerated().map { index, customer in
            ["id": .string("wamid.demo.\(run).\(index)"), "from": .string(customer.phone), "type": "text",
             "timestamp": .string(String(seconds)), "text": ["body": .string(customer.text)]]
        }
        let value: JSONValue = ["messaging_product": "whatsapp", "contacts": .array(contacts),
                                "messages": .array(messages),
                                "metadata": ["display_phone_number": "15550000000", "phone_number_id": "demo"]]
        return JSONWriter.bytes(["object": "whatsapp_business_account",
                                 "entry": [["id": "demo", "changes": [["field": "messages", "value": value]]]]])
    }

    /// `X-Hub-Signature-256` of `body` under the app secret.
    static func metaSignature(_ body: [UInt8], appSecret: String) -> String {
        "sha256=" + Hex.encode(HMACSHA256.authenticate(body, key: Array(appSecret.utf8)))
    }

    /// A chatbot's `deal.created`.
    static func dealBody(run: String) -> [UInt8] {
        JSONWriter.bytes(["type": "deal.created", "data": [
            "name": "Kopi Co Bangsar: second outlet, premium plan", "pipeline": "sales", "stage": "qualified",
            "size": 4800, "creator_flag": "bot", "room_id": .string("demo-room-\(run)"),
        ]])
    }

    /// The Standard Webhooks headers of `body` signed with `secret`.
    static func standardWebhookHeaders(_ body: [UInt8], secret: WebhookSecret, id: String,
                                       seconds: Int64) -> [(String, String)] {
        let timestamp = String(seconds)
        return [(StandardWebhookVerifier.idHeader, id), (StandardWebhookVerifier.timestampHeader, timestamp),
                (StandardWebhookVerifier.signatureHeader,
                 StandardWebhookVerifier.sign(id: id, timestamp: timestamp, body: body, secret: secret))]
    }
}
