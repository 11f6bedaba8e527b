import CThreadName
import Foundation
import Storage
import XCTest

/// SQLiteWriter: group commit, per-operation isolation, back-pressure, shutdown.
final class StorageWriterTests: StorageTestCase {
    private struct OperationFailed: Error {}

    private func makeWriter(maxBatch: Int = 512, queueCapacity: Int = 50_000) throws -> SQLiteWriter {
        let writer = SQLiteWriter(connection: try openConnectionWithTable(), maxBatch: maxBatch, queueCapacity: queueCapacity)
        addTeardownBlock { writer.shutdown() }
        return writer
    }

    func testConcurrentSubmitsAllCommitInFewerBatches() throws {
        let writer = try makeWriter()
        let recorder = StorageCompletionRecorder<Int64>()
        let threads = 8, perThread = 125
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                let key = thread * perThread + index
                writer.submit(insert("row-\(key)")) { recorder.record(key, $0) }
            }
        }
        let results = recorder.wait(for: threads * perThread)
        XCTAssertEqual(results.count, 1000)
        XCTAssertEqual(results.values.filter { succeeded($0) }.count, 1000)
        XCTAssertEqual(try committedRowCount(), 1000)
        let stats = writer.stats
        XCTAssertEqual(stats.operations, 1000)
        XCTAssertLessThan(stats.batches, stats.operations, "group commit should batch concurrent submissions")
    }

    func testFailingOperationIsRolledBackAloneWithinItsBatch() throws {
        let writer = try makeWriter()
        let gate = StorageWriterGate()
        gate.close(writer)
        let before = writer.stats
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(insert("a")) { recorder.record(0, $0) }
        writer.submit({ connection -> Int64 in
            try connection.run("INSERT INTO t (value) VALUES (?)", ["written-then-undone"])
            throw OperationFailed()
        }) { recorder.record(1, $0) }
        writer.submit(insert("b")) { recorder.record(2, $0) }
        writer.submit(insert("a")) { recorder.record(3, $0) }   // UNIQUE violation
        gate.open()

        let results = recorder.wait(for: 4)
        XCTAssertTrue(succeeded(results[0]))
        XCTAssertTrue(failure(results[1]) is OperationFailed)
        XCTAssertTrue(succeeded(results[2]))
        XCTAssertEqual((failure(results[3]) as? SQLiteError)?.isConstraintViolation, true)
        let after = writer.stats
        XCTAssertEqual(after.batches - before.batches, 2, "the gate's batch plus one batch for all four")
        XCTAssertEqual(after.operations - before.operations, 5)
        let values = try writer.perform { try $0.query("SELECT value FROM t ORDER BY id").compactMap { $0.string("value") } }
        XCTAssertEqual(values, ["a", "b"])
    }

    func testOneStatementOperationsFailAloneWithinTheirBatch() throws {
        let writer = try makeWriter()
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(oneStatement: insert("a")) { recorder.record(0, $0) }
        writer.submit(oneStatement: insert("a")) { recorder.record(1, $0) }   // UNIQUE violation
        writer.submit(insert("b")) { recorder.record(2, $0) }
        writer.submit(oneStatement: { connection -> Int64 in
            guard try connection.queryOne("SELECT id FROM t WHERE value = 'b'") != nil else { throw OperationFailed() }
            throw OperationFailed()   // read, then fail: nothing to undo
        }) { recorder.record(3, $0) }
        writer.submit(oneStatement: insert("c")) { recorder.record(4, $0) }
        gate.open()

        let results = recorder.wait(for: 5)
        XCTAssertTrue(succeeded(results[0]))
        XCTAssertEqual((failure(results[1]) as? SQLiteError)?.isConstraintViolation, true)
        XCTAssertTrue(succeeded(results[2]))
        XCTAssertTrue(failure(results[3]) is OperationFailed)
        XCTAssertTrue(succeeded(results[4]))
        let values = try writer.perform { try $0.query("SELECT value FROM t ORDER BY id").compactMap { $0.string("value") } }
        XCTAssertEqual(values, ["a", "b", "c"])
    }

    /// One that breaks the promise — changes with a first statement, then fails — runs without a savepoint, so only
    /// undoing the whole transaction removes its change: the operations before it in that transaction fail too, those
    /// after it commit in a new one.
    func testAOneStatementOperationThatChangedTwiceAndFailedUndoesItsWholeTransaction() throws {
        let writer = try makeWriter()
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(insert("a")) { recorder.record(0, $0) }
        writer.submit(oneStatement: { connection -> Int64 in
            try connection.run("INSERT INTO t (value) VALUES ('written-then-undone')")
            try connection.run("INSERT INTO t (value) VALUES ('a')")   // UNIQUE violation
            return connection.lastInsertRowID
        }) { recorder.record(1, $0) }
        writer.submit(oneStatement: insert("b")) { recorder.record(2, $0) }
        gate.open()

        let results = recorder.wait(for: 3)
        XCTAssertEqual(failure(results[0]) as? StorageError, .batchRolledBack)
        XCTAssertEqual((failure(results[1]) as? SQLiteError)?.isConstraintViolation, true)
        XCTAssertTrue(succeeded(results[2]))
        let values = try writer.perform { try $0.query("SELECT value FROM t ORDER BY id").compactMap { $0.string("value") } }
        XCTAssertEqual(values, ["b"])
    }

    func testBatchesNeverExceedMaxBatch() throws {
        let writer = try makeWriter(maxBatch: 10)
        let gate = StorageWriterGate()
        gate.close(writer)
        let before = writer.stats
        let recorder = StorageCompletionRecorder<Int64>()
        for key in 0..<35 {
            writer.submit(insert("v\(key)")) { recorder.record(key, $0) }
        }
        XCTAssertEqual(writer.queueDepth, 35)
        gate.open()
        XCTAssertEqual(recorder.wait(for: 35).values.filter { succeeded($0) }.count, 35)
        XCTAssertEqual(writer.stats.batches - before.batches, 1 + 4)
        XCTAssertEqual(writer.queueDepth, 0)
    }

    func testOperationsQueuedTogetherCommitTogetherEachInOrder() throws {
        let writer = try makeWriter()
        let before = writer.stats
        let recorder = StorageCompletionRecorder<Int64>()
        // The writer is idle: operations queued one by one would wake it for the first alone.
        writer.submit(each: (0..<300).map { insert("v\($0)") }) { index, result in recorder.record(index, result) }
        let results = recorder.wait(for: 300)
        XCTAssertEqual((0..<300).map { try? results[$0]?.get() }, (1...300).map { Int64($0) }, "in the order given")
        XCTAssertEqual(writer.stats.batches - before.batches, 1)
        XCTAssertEqual(writer.stats.operations - before.operations, 300, "each its own operation")
    }

    func testOperationsQueuedTogetherBeyondTheQueuesRoomAreAllRefused() throws {
        let writer = try makeWriter(queueCapacity: 2)
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(each: [insert("a"), insert("b"), insert("c")]) { index, result in recorder.record(index, result) }
        let results = recorder.wait(for: 3)
        XCTAssertEqual((0..<3).map { failure(results[$0]) as? StorageError }, [.overloaded, .overloaded, .overloaded])
        XCTAssertEqual(try committedRowCount(), 0)
    }

    func testFullQueueAnswersOverloadedImmediately() throws {
        let writer = try makeWriter(queueCapacity: 2)
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(insert("a")) { recorder.record(0, $0) }
        writer.submit(insert("b")) { recorder.record(1, $0) }
        writer.submit(insert("c")) { recorder.record(2, $0) }
        // Answered on this thread, before returning, while the writer is still blocked.
        XCTAssertEqual(recorder.count, 1)
        XCTAssertEqual(failure(recorder.wait(for: 1)[2]) as? StorageError, .overloaded)
        XCTAssertEqual(writer.queueDepth, 2)
        gate.open()
        let results = recorder.wait(for: 3)
        XCTAssertTrue(succeeded(results[0]))
        XCTAssertTrue(succeeded(results[1]))
        XCTAssertEqual(try committedRowCount(), 2)
    }

    func testShutdownCommitsEverythingQueuedThenRejectsWork() throws {
        let writer = SQLiteWriter(connection: try openConnectionWithTable())
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int64>()
        for key in 0..<100 {
            writer.submit(insert("v\(key)")) { recorder.record(key, $0) }
        }
        let shutdownFinished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            writer.shutdown()
            shutdownFinished.signal()
        }
        waitUntilRejecting(writer)
        gate.open()
        XCTAssertEqual(shutdownFinished.wait(timeout: .now() + 60), .success)

        XCTAssertEqual(recorder.count, 100, "shutdown returns only after queued work completed")
        XCTAssertEqual(recorder.wait(for: 100).values.filter { succeeded($0) }.count, 100)
        XCTAssertEqual(try committedRowCount(), 100)
        XCTAssertThrowsError(try writer.perform(insert("late"))) { error in
            XCTAssertEqual(error as? StorageError, .shuttingDown)
        }
        writer.shutdown()   // idempotent
    }

    /// Waits until shutdown has started, observed as a probe submission being refused.
    private func waitUntilRejecting(_ writer: SQLiteWriter) {
        let rejected = StorageCompletionRecorder<Void>()
        for attempt in 0..<10_000 {
            writer.submit({ _ in }) { result in
                if case .failure(let error) = result, (error as? StorageError) == .shuttingDown {
                    rejected.record(attempt, result)
                }
            }
            if rejected.count > 0 { return }
            usleep(1_000)
        }
        XCTFail("shutdown never started")
    }

    func testPerformReturnsValueOrRethrows() throws {
        let writer = try makeWriter()
        XCTAssertEqual(try writer.perform(insert("a")), 1)
        XCTAssertEqual(try writer.perform(insert("b")), 2)
        XCTAssertThrowsError(try writer.perform { _ -> Int in throw OperationFailed() }) { error in
            XCTAssertTrue(error is OperationFailed)
        }
        XCTAssertThrowsError(try writer.perform { _ in try writer.perform { _ in 1 } }) { error in
            XCTAssertEqual(error as? StorageError, .calledFromWriterThread)
        }
    }

    func testNextBatchCommitsWhileACompletionIsStillRunningAndCompletionsStayInOrder() throws {
        let writer = try makeWriter()
        let release = DispatchSemaphore(value: 0)
        let order = StorageCompletionRecorder<Int>()
        writer.submit(insert("a")) { _ in
            release.wait()
            order.record(0, .success(order.count))
        }
        writer.submit(insert("b")) { _ in order.record(1, .success(order.count)) }
        // "b" commits in a later batch although the completion of "a" has not returned.
        var committed = try committedRowCount()
        for _ in 0..<6_000 where committed != 2 {
            usleep(10_000)
            committed = try committedRowCount()
        }
        XCTAssertEqual(committed, 2)
        XCTAssertEqual(order.count, 0, "the completion of b waits for the one of a")
        release.signal()
        let results = order.wait(for: 2)
        XCTAssertEqual(try results[0]?.get(), 0)
        XCTAssertEqual(try results[1]?.get(), 1)
    }

    func testPerformFromACompletionIsRefusedInsteadOfDeadlocking() throws {
        let writer = try makeWriter()
        let recorder = StorageCompletionRecorder<Int64>()
        writer.submit(insert("a")) { _ in recorder.record(0, Result { try writer.perform(insert("b")) }) }
        XCTAssertEqual(failure(recorder.wait(for: 1)[0]) as? StorageError, .calledFromWriterThread)
    }

    func testSuccessIsReportedOnlyAfterCommit() throws {
        let writer = try makeWriter()
        let recorder = StorageCompletionRecorder<Int>()
        let path = databasePath()
        writer.submit(insert("a")) { result in
            // Another connection sees the row the moment the completion runs: it was committed.
            let visible = Result { () -> Int in
                let reader = try SQLiteConnection(path: path, readOnly: true)
                return try reader.queryOne("SELECT count(*) AS n FROM t")?.int("n") ?? -1
            }
            recorder.record(0, result.flatMap { _ in visible })
        }
        XCTAssertEqual(try recorder.wait(for: 1)[0]?.get(), 1)
    }

    func testOperationsCanUseTransactionsAndSavepoints() throws {
        let writer = try makeWriter()
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int>()
        writer.submit({ connection -> Int in
            try connection.transaction {
                try connection.run("INSERT INTO t (value) VALUES (?)", ["outer"])
                _ = try? connection.savepoint { () throws -> Void in
                    try connection.run("INSERT INTO t (value) VALUES (?)", ["discarded"])
                    throw OperationFailed()
                }
                return 1
            }
        }) { recorder.record(0, $0) }
        writer.submit({ _ in 2 }) { recorder.record(1, $0) }
        gate.open()
        let results = recorder.wait(for: 2)
        XCTAssertEqual(try results[0]?.get(), 1)
        XCTAssertEqual(try results[1]?.get(), 2)
        let values = try writer.perform { try $0.query("SELECT value FROM t").compactMap { $0.string("value") } }
        XCTAssertEqual(values, ["outer"])
    }
}

/// An operation inserting `value` into `t`, returning the new row id.
private func insert(_ value: String) -> @Sendable (SQLiteConnection) throws -> Int64 {
    { connection in
        try connection.run("INSERT INTO t (value) VALUES (?)", [.text(value)])
        return connection.lastInsertRowID
    }
}

/// The writer's and its completion queue's threads carry their names where the OS shows them (benchmarks attribute CPU
/// by thread name).
final class StorageWriterThreadNameTests: StorageTestCase {
    func testWriterAndCompletionThreadsAreNamed() throws {
        for round in 0..<12 {
            let writer = SQLiteWriter(connection: try openConnectionWithTable(), name: "bench-writer")
            defer { writer.shutdown() }
            let names = StorageCompletionRecorder<String>()
            writer.submit({ _ in Self.currentThreadName() }) { result in
                names.record(0, result)
                names.record(1, .success(Self.currentThreadName()))
            }
            let results = names.wait(for: 2)
            XCTAssertEqual(try results[0]?.get(), "bench-writer", "round \(round)")
            XCTAssertEqual(try results[1]?.get(), "bench-complete", "round \(round)")
        }
    }

    private static func currentThreadName() -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = gw_current_thread_name(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
