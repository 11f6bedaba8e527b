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
        try signedIn(as: "admin", at: "/console/users", page: "users")
        let drawn = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            import('/console/assets/live.js').then(async ({ inOrder }) => {
              const answers = [];
              const drawn = [];
              const view = inOrder(() => new Promise((answer) => answers.push(answer)), (state) => drawn.push(state));
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
            }, (error) => done(String(error)));
            """)
        XCTAssertEqual(drawn, ["after the change", "the next change"])
    }

    /// A ticket changes again while the page is loading it after the first change: the page loads once more when
    /// that load ends, so what it shows ends with the second change, not the first.
    func testAChangeAnnouncedDuringALoadIsLoadedAfterIt() throws {
        try signedIn(as: "admin", at: "/console/users", page: "users")
        let seen = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            class Stream {
              constructor() { Stream.open = this; this.listeners = {}; this.readyState = 1; }
              addEventListener(type, listener) { this.listeners[type] = listener; }
              close() {}
              send(type, data) { this.listeners[type]?.({ data }); }
            }
            window.EventSource = Stream;
            const pause = (ms) => new Promise((resume) => setTimeout(resume, ms));
            async function until(check) {
              for (let waited = 0; !check() && waited < 5000; waited += 20) await pause(20);
            }
            import('/console/assets/live.js').then(async ({ subscribe }) => {
              let version = 1;
              const answers = [];
              const seen = [];
              const load = () => { const read = version; return new Promise((answer) => answers.push(() => answer(read))); };
              const stop = subscribe(load, (state) => seen.push(state), { ticket: 7 });
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
            }, (error) => done(String(error)));
            """)
        XCTAssertEqual(seen, [1, 2])
    }

    /// A campaign cancelled while its progress poll is loading: the poll's answer (still sending) is not drawn.
    func testAPollStoppedDuringALoadDrawsNothing() throws {
        try signedIn(as: "admin", at: "/console/users", page: "users")
        let drawn = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            import('/console/assets/poll.js').then(async ({ poll }) => {
              const answers = [];
              const drawn = [];
              const stop = poll(() => new Promise((answer) => answers.push(answer)), (state) => drawn.push(state),
                                { interval: 10 });
              for (let waited = 0; answers.length === 0 && waited < 5000; waited += 10) {
                await new Promise((resume) => setTimeout(resume, 10));
              }
              stop();
              answers[0]?.('sending');
              await new Promise((resume) => setTimeout(resume, 100));
              done({ drawn, loads: answers.length });
            }, (error) => done(String(error)));
            """)
        XCTAssertEqual(drawn, ["drawn": [], "loads": 1])
    }
}
