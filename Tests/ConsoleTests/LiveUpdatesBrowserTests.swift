import Foundation
import GatewayKit
import GatewayTesting
import XCTest

/// How the pages follow changes (`live.js`, `poll.js`), in real Chromium with the timing under the test's control:
/// loads that end out of order never put an older answer over a newer one, a change announced while a load is under
/// way is loaded again once it ends, and a poll stopped during a load draws nothing. The page used imports neither
/// module itself, so they are the test's alone.
final class LiveUpdatesBrowserTests: BrowserTestCase {
    /// A change's own reload and a stream event's overlap: the one that started first may answer last.
    func testAnAnswerFromAnEarlierLoadIsNotDrawnOverANewerOne() throws {
        let drawn = try run(with: "live.js", """
            const drawn = [];
            const view = module.inOrder(held, (state) => drawn.push(state));
            const before = view.load();
            const after = view.load();
            answers[1]('after the change');
            view.draw(await after);
            answers[0]('before the change');
            view.draw(await before);
            const next = view.load();
            answers[2]('the next change');
            view.draw(await next);
            done(drawn);
            """)
        XCTAssertEqual(drawn, ["after the change", "the next change"])
    }

    /// A ticket changes again while the page is loading it after the first change: the page loads once more when
    /// that load ends, so what it shows ends with the second change, not the first.
    func testAChangeAnnouncedDuringALoadIsLoadedAfterIt() throws {
        let seen = try run(with: "live.js", """
            let version = 1;
            const seen = [];
            const load = () => { const read = version; return held().then(() => read); };
            const stop = module.subscribe(load, (state) => seen.push(state), { ticket: 7 });
            Stream.open.send('ready', '');
            Stream.open.send('ticket', JSON.stringify({ ticket_id: 7 }));
            await until(() => answers.length === 1);
            version = 2;
            Stream.open.send('ticket', JSON.stringify({ ticket_id: 7 }));
            await pause(400);
            answers[0]();
            await until(() => answers.length === 2);
            answers[1]?.();
            await until(() => seen.length === 2);
            stop();
            done(seen);
            """)
        XCTAssertEqual(seen, [1, 2])
    }

    /// A campaign cancelled while its progress poll is loading: the poll's answer (still sending) is not drawn.
    func testAPollStoppedDuringALoadDrawsNothing() throws {
        let outcome = try run(with: "poll.js", """
            const drawn = [];
            const stop = module.poll(held, (state) => drawn.push(state), { interval: 10 });
            await until(() => answers.length === 1);
            stop();
            answers[0]?.('sending');
            await pause(100);
            done({ drawn, loads: answers.length });
            """)
        XCTAssertEqual(outcome, ["drawn": [], "loads": 1])
    }

    /// Runs `body` on a signed-in page once console module `file` is imported (as `module`). The body ends with
    /// `done(result)`. It has `held` — a load that ends when the test calls its entry in `answers` — `pause(ms)`,
    /// `until(check)` (at most 5 s), and `Stream`, standing in for `EventSource` (`Stream.open.send(type, data)`).
    private func run(with file: String, _ body: String) throws -> JSONValue {
        try signedIn(as: "admin", at: "/console/users", page: "users")
        return try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            const answers = [];
            const held = () => new Promise((answer) => answers.push(answer));
            const pause = (ms) => new Promise((resume) => setTimeout(resume, ms));
            async function until(check) {
              for (let waited = 0; !check() && waited < 5000; waited += 20) await pause(20);
            }
            class Stream {
              constructor() { Stream.open = this; this.listeners = {}; this.readyState = 1; }
              addEventListener(type, listener) { this.listeners[type] = listener; }
              close() {}
              send(type, data) { this.listeners[type]?.({ data }); }
            }
            window.EventSource = Stream;
            import('/console/assets/\(file)').then(async (module) => {
            \(body)
            }, (error) => done(String(error)));
            """)
    }
}
