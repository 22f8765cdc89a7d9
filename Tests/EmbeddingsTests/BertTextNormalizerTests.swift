import Testing

@testable import Embeddings

/// Normalisation corner cases where naive Swift would differ from Hugging Face `tokenizers`
/// (the whole code space was compared once against the reference, one code point at a time).
@Suite("BERT text normalizer")
struct BertTextNormalizerTests {
    let normalizer = BertTextNormalizer()

    @Test("lower-cases per character: no final-sigma rule")
    func greekSigma() {
        #expect(normalizer.normalize("ΟΔΥΣΣΕΥΣ") == "οδυσσευσ")
        #expect(normalizer.normalize("ΣΊΣΥΦΟΣ ΣΑΣ") == "σισυφοσ σασ")
    }

    @Test("strips accents before lower-casing (İ becomes i, not i + U+0307)")
    func dottedCapitalI() {
        #expect(normalizer.normalize("İSTANBUL") == "istanbul")
        #expect(normalizer.normalize("naïve Café Ångström") == "naive cafe angstrom")
    }

    @Test("lower-casing without accent stripping uses the full mapping of each character")
    func fullLowercaseMapping() {
        let lowerOnly = BertTextNormalizer(stripAccents: false)
        #expect(lowerOnly.normalize("İ").unicodeScalars.map(\.value) == [0x69, 0x307])
        #expect(lowerOnly.normalize("ẞ K") == "ß k")
    }

    @Test("removes control and format characters, maps white space to spaces")
    func cleaning() {
        #expect(normalizer.normalize("a\u{0}b\u{FFFD}c\u{200B}d\u{AD}e") == "abcde")
        #expect(normalizer.normalize("a\tb\nc\r\nd\u{3000}e\u{A0}f") == "a b c  d e f")
        #expect(normalizer.normalize("a\u{0B}b\u{85}c") == "abc")
    }

    @Test("puts spaces around CJK ideographs only")
    func chineseCharacters() {
        // (and the dakuten of で, a non-spacing mark after NFD, goes with the accents)
        #expect(normalizer.normalize("日本語です") == " 日  本  語 てす")
        #expect(normalizer.normalize("한국") == "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}")
    }

    @Test("character classes follow the reference's (older) Unicode tables")
    func referenceTables() {
        // U+1734 is Mc in current Unicode but Mn in the reference's tables: stripped.
        #expect(normalizer.normalize("a\u{1734}b") == "ab")
        // U+2E5D (Unicode 14 punctuation) is not punctuation for the reference.
        #expect(!BertTextNormalizer.isPunctuation("\u{2E5D}"))
        #expect(BertTextNormalizer.isPunctuation("«"))
        #expect(BertTextNormalizer.isPunctuation("$"))
        // U+11938 decomposes in current Unicode, not in the reference's NFD.
        #expect(normalizer.normalize("\u{11938}").unicodeScalars.map(\.value) == [0x11938])
    }
}
