import Foundation
import Storage

/// SQLite's durable commit rate on this disk, without the gateway: one row per transaction, and 64 rows per
/// transaction (what group commit can reach).
struct SQLiteCeiling {
    let path: String
    let synchronous: String
    var seconds: Double = 2

    func measure() throws -> (single: LatencyRecorder.Summary, batched: LatencyRecorder.Summary) {
        let connection = try SQLiteConnection(path: path, synchronous: SynchronousLevel(rawValue: synchronous) ?? .full)
        defer { connection.close() }
        try connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, key TEXT UNIQUE, body BLOB)")
        let body = [UInt8](repeating: 0x61, count: 1500)
        var n = 0
        func run(batch: Int) throws -> LatencyRecorder.Summary {
            let recorder = LatencyRecorder()
            let start = Date()
            while Date().timeIntervalSince(start) < seconds {
                let began = DispatchTime.now().uptimeNanoseconds
                try connection.transaction {
                    for _ in 0..<batch {
                        n += 1
                        try connection.run("INSERT INTO rows (key, body) VALUES (?, ?)", [.text("k\(n)"), .blob(body)])
                    }
                }
                let perRow = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
                for _ in 0..<batch { recorder.record(seconds: perRow) }
            }
            return recorder.summary(elapsed: Date().timeIntervalSince(start))
        }
        return (try run(batch: 1), try run(batch: 64))
    }
}
