import Foundation

/// Generates WhatsApp traffic for a population of simulated people, with the truth about who is who kept aside so a
/// test can check the identity store against it. Deterministic for a given seed.
///
/// Each person is one of: phone-only (legacy webhooks without BSUIDs, possibly changing number), BSUID-only (a
/// username user, possibly getting a new BSUID), or both (BSUID + phone, possibly changing number, which regenerates
/// the BSUID). Their messages mix phone-only, BSUID-only and complete sender identities; every epoch of a complete
/// identity has at least one complete message, so the data always says which phone goes with which BSUID.
package struct IdentityTrafficGenerator {
    package struct Person {
        /// Every identifier the person ever used; all must end on one customer.
        package var bsuids: [String] = []
        package var phones: [String] = []
    }

    package private(set) var people: [Person] = []
    package private(set) var deliveries: [[UInt8]] = []
    private var random: SplitMix64
    private var messageCounter = 0

    package init(seed: UInt64, deliveries target: Int) {
        random = SplitMix64(seed: seed)
        var personIndex = 0
        while deliveries.count < target - target / 20 {
            generatePerson(personIndex)
            personIndex += 1
        }
        // Exact re-deliveries (Meta retries) make up the rest.
        let originals = deliveries.count
        while deliveries.count < target {
            deliveries.append(deliveries[Int(random.next() % UInt64(originals))])
        }
    }

    /// The deliveries in a random order (out of order arrival), seeded.
    package func shuffled(seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        var out = deliveries
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            out.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return out
    }

    private mutating func generatePerson(_ n: Int) {
        let kind = random.next() % 3  // 0 phone-only, 1 BSUID-only, 2 both
        let epochs = 1 + Int(random.next() % 3)
        let username = random.next() % 2 == 0 ? "user\(n)" : nil
        var person = Person()
        var time: Int64 = 1_767_000_000 + Int64(n)
        for epoch in 0..<epochs {
            let phone: String? = kind == 1 ? nil : "1\(String(format: "%03d", 200 + epoch))\(String(format: "%07d", n))"
            let bsuid: String? = kind == 0 ? nil : "US.\(String(format: "%02d", epoch + 10))\(String(format: "%09d", n))"
            if let phone { person.phones.append(phone) }
            if let bsuid { person.bsuids.append(bsuid) }
            let messages = 1 + Int(random.next() % 4)
            for m in 0..<messages {
                time += 10
                // Complete identities: the first message is complete, the others randomly drop one side.
                let shape = kind == 2 && m > 0 ? random.next() % 3 : 0
                deliveries.append(WhatsAppBodyBuilder.message(
                    id: nextMessageID(), phone: shape == 2 ? nil : phone, bsuid: shape == 1 ? nil : bsuid,
                    username: bsuid == nil ? nil : username, name: "Person \(n)", timestamp: time))
            }
            if epoch + 1 < epochs {
                time += 10
                let nextPhone: String? = kind == 1 ? nil : "1\(String(format: "%03d", 201 + epoch))\(String(format: "%07d", n))"
                let nextBSUID: String? = kind == 0 ? nil : "US.\(String(format: "%02d", epoch + 11))\(String(format: "%09d", n))"
                let type = kind == 1 ? "user_changed_user_id" : "user_changed_number"
                deliveries.append(WhatsAppBodyBuilder.identityChange(
                    id: nextMessageID(), type: type, fromPhone: phone, fromBSUID: bsuid, newPhone: nextPhone,
                    newBSUID: nextBSUID, timestamp: time))
            }
        }
        people.append(person)
    }

    private mutating func nextMessageID() -> String {
        messageCounter += 1
        return "wamid.GEN-\(messageCounter)"
    }
}

/// A tiny seeded generator (SplitMix64), so generated traffic is reproducible.
package struct SplitMix64 {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
