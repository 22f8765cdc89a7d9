import Foundation
import Testing

@testable import ServiceKit

/// The byte-level base64url used by identity tokens and cursors, against Foundation's base64.
@Suite("Base64URL and random hex")
struct Base64URLTests {
    @Test func encodingMatchesFoundationWithTheURLAlphabetAndNoPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let expected = data.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(data) == expected)
            #expect(Base64URL.decode(expected) == data)
            #expect(Base64URL.decode(Substring("." + expected).dropFirst()) == data)
        }
    }

    @Test func knownVectors() {
        // RFC 4648 §10, with the URL alphabet and without padding.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Data(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Data(plain.utf8))
        }
        #expect(Base64URL.encode(Data([0xfb, 0xff])) == "-_8")
        #expect(Base64URL.decode("-_8") == Data([0xfb, 0xff]))
    }

    @Test(arguments: ["Zg==", "Zm9v=", "+_8", "-/8", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zé9v"])
    func outsideTheAlphabetOrMisalignedIsRefused(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func randomHexHasTheRequestedLengthAndAlphabet() {
        for bytes in [1, 7, 8, 9, 16, 24] {
            let hex = TraceContext.randomHex(bytes: bytes)
            #expect(hex.count == bytes * 2)
            #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        }
        let ids = Set((0..<1000).map { _ in TraceContext.randomHex(bytes: 16) })
        #expect(ids.count == 1000)
    }
}
