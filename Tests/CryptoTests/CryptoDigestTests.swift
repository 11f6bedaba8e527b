import Crypto
import Foundation
import XCTest

/// HMAC-SHA256 against RFC 4231 and SHA-256 against FIPS 180-2 examples.
final class CryptoDigestTests: XCTestCase {
    private func hex(_ string: String) -> [UInt8] { Hex.decode(string)! }
    private func ascii(_ string: String) -> [UInt8] { Array(string.utf8) }

    func testHMACRFC4231Case1() {
        let tag = HMACSHA256.authenticate(ascii("Hi There"), key: [UInt8](repeating: 0x0b, count: 20))
        XCTAssertEqual(Hex.encode(tag), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    func testHMACRFC4231Case2ShortKey() {
        let tag = HMACSHA256.authenticate(ascii("what do ya want for nothing?"), key: ascii("Jefe"))
        XCTAssertEqual(Hex.encode(tag), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testHMACRFC4231Case4() {
        let key = Array(UInt8(1)...UInt8(25))
        let tag = HMACSHA256.authenticate([UInt8](repeating: 0xcd, count: 50), key: key)
        XCTAssertEqual(Hex.encode(tag), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    func testHMACRFC4231Case6KeyLargerThanBlock() {
        let tag = HMACSHA256.authenticate(ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
                                          key: [UInt8](repeating: 0xaa, count: 131))
        XCTAssertEqual(Hex.encode(tag), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testHMACRFC4231Case7KeyAndDataLargerThanBlock() {
        let message = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        let tag = HMACSHA256.authenticate(ascii(message), key: [UInt8](repeating: 0xaa, count: 131))
        XCTAssertEqual(Hex.encode(tag), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    /// Keys around the block size (hashed first only past 64 bytes) and a message of many blocks; the tags were
    /// computed independently (python3 `hmac.new(key, message, sha256).hexdigest()`).
    func testHMACKeysAroundTheBlockSizeAndALongMessage() {
        let message = ascii("block-sized key")
        XCTAssertEqual(Hex.encode(HMACSHA256.authenticate(message, key: [UInt8](repeating: 0x61, count: 63))),
                       "e9311d3687c41a473d2f7658806e3215e2b536103241d819a86714e6b28acd05")
        XCTAssertEqual(Hex.encode(HMACSHA256.authenticate(message, key: [UInt8](repeating: 0x61, count: 64))),
                       "d0923418aae408422f9642fcafb84e8b43fa6b0d7680a942ec9627094040c652")
        XCTAssertEqual(Hex.encode(HMACSHA256.authenticate(message, key: [UInt8](repeating: 0x61, count: 65))),
                       "6ba0a820869d32e9714ff38406f3e91e8992e6dc02d16477be0897a7cbafa3ee")
        let long = Array((0..<40).map { _ in Array(UInt8(0)...UInt8(255)) }.joined())
        XCTAssertEqual(Hex.encode(HMACSHA256.Key(ascii("k")).authenticate(long)),
                       "73b3db94377873324b0c0e2fe770cd4eb86737a409198303f6b6c743a3ff96f1")
    }

    func testHMACWithEmptyKeyAndMessage() {
        // OpenSSL 3 rejects a NULL key pointer; empty arrays must still work.
        XCTAssertEqual(Hex.encode(HMACSHA256.authenticate([], key: [])),
                       "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    func testHMACDataOverloadMatchesArray() {
        let message = Data("Hi There".utf8)
        let key = Data(repeating: 0x0b, count: 20)
        XCTAssertEqual(HMACSHA256.authenticate(message, key: key),
                       HMACSHA256.authenticate(Array(message), key: Array(key)))
    }

    /// A key set up once gives every message the tag the one-shot call gives, also when threads share it.
    func testPreparedKeyMatchesOneShot() {
        let key = HMACSHA256.Key(ascii("Jefe"))
        XCTAssertEqual(Hex.encode(key.authenticate(ascii("what do ya want for nothing?"))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let messages = (0..<64).map { [UInt8](repeating: UInt8($0), count: $0 * 37) }
        let tags = messages.map { HMACSHA256.authenticate($0, key: ascii("Jefe")) }
        DispatchQueue.concurrentPerform(iterations: 256) { index in
            XCTAssertEqual(key.authenticate(messages[index % 64]), tags[index % 64])
        }
        XCTAssertEqual(HMACSHA256.Key([]).authenticate([]), HMACSHA256.authenticate([], key: []))
    }

    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256Digest.hexHash([]),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Digest.hexHash(ascii("abc")),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Digest.hash(ascii("abc")).count, 32)
        XCTAssertEqual(SHA256Digest.hash(Data("abc".utf8)), SHA256Digest.hash(ascii("abc")))
    }
}
