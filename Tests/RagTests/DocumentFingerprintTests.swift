import Testing

@testable import Rag

@Suite("Document fingerprint")
struct DocumentFingerprintTests {
    @Test func isTheLowercaseHexSHA256OfTheUTF8Bytes() {
        #expect(DocumentFingerprint(content: "").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(DocumentFingerprint(content: "abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            DocumentFingerprint(content: "The quick brown fox jumps over the lazy dog").hex
                == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    @Test func takesTheContentExactlyAsReceived() {
        // "café" precomposed and decomposed are equal Swift strings but different uploads.
        let precomposed = DocumentFingerprint(content: "caf\u{E9}")
        let decomposed = DocumentFingerprint(content: "cafe\u{301}")
        #expect(precomposed.hex == "850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e")
        #expect(decomposed.hex == "81ef060bcd98adc7824eb5c1ada83c32491b16018e11e79f00ab9d09e04b015a")
        #expect(DocumentFingerprint(content: "abc\n") != DocumentFingerprint(content: "abc"))
    }

    @Test func isSixtyFourLowercaseHexDigits() {
        let hex = DocumentFingerprint(content: "日本語 👍🏽").hex
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(DocumentFingerprint(content: "x").description == DocumentFingerprint(content: "x").hex)
    }
}
