import Crypto
import Foundation
import Synchronization
import XCTest

/// Hex, base64, constant-time comparison and random tokens.
final class CryptoEncodingTests: XCTestCase {
    func testHexEncodesLowercase() {
        XCTAssertEqual(Hex.encode([0x00, 0x01, 0xab, 0xff]), "0001abff")
        XCTAssertEqual(Hex.encode([]), "")
    }

    func testHexAfterPrefixIsThePrefixAndTheHex() {
        let digest = (0..<32).map { UInt8($0 * 8 + 1) }
        XCTAssertEqual(Hex.encode(digest, after: "whatsapp:"), "whatsapp:" + Hex.encode(digest))
        XCTAssertEqual(Hex.encode([0xab], after: ""), "ab")
        XCTAssertEqual(Hex.encode([], after: "key:"), "key:")
        XCTAssertEqual(Hex.encode([0x00, 0xff], after: "ü:"), "ü:00ff", "a prefix beyond ASCII is copied byte for byte")
    }

    func testHexDecodesBothCases() {
        XCTAssertEqual(Hex.decode("0001abff"), [0x00, 0x01, 0xab, 0xff])
        XCTAssertEqual(Hex.decode("0001ABFF"), [0x00, 0x01, 0xab, 0xff])
        XCTAssertEqual(Hex.decode("aB"), [0xab])
        XCTAssertEqual(Hex.decode(""), [])
    }

    func testHexRejectsOddLengthAndNonHex() {
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
        XCTAssertNil(Hex.decode("0x00"))
        XCTAssertNil(Hex.decode("ab cd"))
        XCTAssertNil(Hex.decode("éé"))
    }

    func testHexDecodesBytesWhereTheyAre() {
        XCTAssertEqual(Hex.decode(utf8: "sha256=0001abFF".utf8.dropFirst(7)), [0x00, 0x01, 0xab, 0xff])
        XCTAssertEqual(Hex.decode(utf8: Array("0aB1".utf8).lazy.map { $0 }), [0x0a, 0xb1], "bytes not in one piece")
        XCTAssertEqual(Hex.decode(utf8: "sha256=".utf8.dropFirst(7)), [])
        XCTAssertNil(Hex.decode(utf8: "sha256=abc".utf8.dropFirst(7)))
        XCTAssertNil(Hex.decode(utf8: "sha256=0g".utf8.dropFirst(7)))
        XCTAssertNil(Hex.decode(utf8: Array("a ".utf8).lazy.map { $0 }))
    }

    func testHexRoundTripsAllByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        XCTAssertEqual(Hex.decode(Hex.encode(bytes)), bytes)
    }

    func testBase64RFC4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==",
                       "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8), encoded)
        }
    }

    func testBase64RoundTripsAllLengthsAndBytes() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
            XCTAssertEqual(Base64.decode(Base64.encode(bytes)), bytes)
        }
        XCTAssertEqual(Base64.encode([0xfb, 0xff, 0xfe]), "+//+")
    }

    func testBase64RejectsGarbage() {
        for bad in ["Zg", "Zg=", "Zm9", "Z===", "====", "Zg=a", "Zm9v\n", " Zm9v", "Zm 9v",
                    "Zm9v-_==", "Zm9v!A==", "Zh==", "Zm9=", "Zg==Zg==", "é", "Zm9vYg==="] {
            XCTAssertNil(Base64.decode(bad), bad)
        }
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(ConstantTime.equals([], []))
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertFalse(ConstantTime.equals([1, 2], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([], [0]))
        let tag = HMACSHA256.authenticate(Array("body".utf8), key: Array("secret".utf8))
        XCTAssertTrue(ConstantTime.equals(tag, Hex.decode(Hex.encode(tag))!))
    }

    func testSecureRandomBytes() {
        XCTAssertEqual(SecureRandom.bytes(0), [])
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        XCTAssertEqual(first.count, 32)
        XCTAssertNotEqual(first, second)
    }

    /// Small requests come from a pool refilled now and then, large ones straight from the kernel: across many
    /// refills, from many threads at once, no 16-byte value comes back twice and the bytes look uniform.
    func testSecureRandomNeverRepeatsAcrossPoolRefills() {
        let values = Mutex([[UInt8]]())
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let mine = (0..<2_000).map { _ in SecureRandom.bytes(16) }
            values.withLock { $0.append(contentsOf: mine) }
        }
        let all = values.withLock { $0 }
        XCTAssertEqual(Set(all).count, all.count)
        var counts = [Int](repeating: 0, count: 256)
        for value in all { for byte in value { counts[Int(byte)] += 1 } }
        // 256,000 bytes: each value about 1,000 times.
        XCTAssertTrue(counts.allSatisfy { (700...1_300).contains($0) }, "\(counts.min()!)...\(counts.max()!)")
        XCTAssertEqual(SecureRandom.bytes(100_000).count, 100_000)
        XCTAssertEqual(SecureRandom.bytes(64).count, 64)
        XCTAssertEqual(SecureRandom.bytes(65).count, 65)
    }

    func testSecureRandomTokenIsURLSafeUnpadded() {
        let token = SecureRandom.token()
        XCTAssertEqual(token.count, 43)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        XCTAssertTrue(token.allSatisfy { allowed.contains($0) }, token)
        XCTAssertEqual(SecureRandom.token(byteCount: 3).count, 4)
        XCTAssertNotEqual(SecureRandom.token(), SecureRandom.token())
    }

    func testURLSafeEncodingUsesDashUnderscoreWithoutPadding() {
        XCTAssertEqual(Base64.encodeURLSafe([0xfb, 0xff, 0xfe]), "-__-")
        XCTAssertEqual(Base64.encodeURLSafe([0x66]), "Zg")
    }
}
