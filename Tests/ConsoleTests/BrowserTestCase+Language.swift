import GatewayTesting
import XCTest

extension BrowserTestCase {
    /// Switches the open `page` to Bahasa Malaysia in the top bar, waits until it is drawn again under `heading`,
    /// checks the text of each selector, then switches back to English (`englishHeading`).
    func assertInBahasaMalaysia(page: String, heading: String, englishHeading: String, _ expected: [(String, String)],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        try browser.choose("ms", in: "#language")
        try browser.wait(for: "h1", containing: heading)
        try waitForPage(page)
        for (selector, text) in expected {
            XCTAssertEqual(try browser.text(of: selector), text, selector, file: file, line: line)
        }
        try browser.choose("en", in: "#language")
        try browser.wait(for: "h1", containing: englishHeading)
    }
}
