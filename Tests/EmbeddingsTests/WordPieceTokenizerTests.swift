import Foundation
import Testing

@testable import Embeddings

/// Token ids against Tests/EmbeddingsTests/Fixtures/tokenizer-ids.json, produced by Hugging Face
/// `tokenizers` (the Rust tokenizer sentence-transformers uses) from the model's tokenizer.json
/// with truncation at 256, and cross-checked against sentence-transformers' own tokenizer
/// (scripts/make-embedding-fixtures.py --cross-check).
@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    @Test("token ids equal the reference tokenizer's for every fixture string")
    func matchesReferenceIDs() throws {
        let embedder = try ModelUnderTest.embedder()
        let fixture = try ReferenceFixtures.load("tokenizer-ids", as: ReferenceFixtures.TokenizerFile.self)
        #expect(fixture.cases.count >= 30)
        var matched = 0
        for testCase in fixture.cases {
            let ids = embedder.tokenIDs(of: testCase.text)
            #expect(ids == testCase.ids, "ids differ for \(testCase.text.debugDescription.prefix(80))")
            if ids == testCase.ids { matched += 1 }
        }
        #expect(matched == fixture.cases.count, "\(matched) of \(fixture.cases.count) strings match")
    }

    @Test("truncates at 256 tokens, not tokenizer.json's 128")
    func truncatesAt256() throws {
        let embedder = try ModelUnderTest.embedder()
        #expect(embedder.maxSequenceLength == 256)
        let text = Array(repeating: "token", count: 1000).joined(separator: " ")
        let ids = embedder.tokenIDs(of: text)
        #expect(ids.count == 256)
        #expect(ids.first == 101 && ids.last == 102)
        #expect(embedder.tokenCount(of: text) == 1002)
        #expect(embedder.tokenCount(of: "") == 2)
    }

    @Test("a word over 100 characters is one [UNK]; exactly 100 is split into pieces")
    func maxInputCharsPerWord() throws {
        let embedder = try ModelUnderTest.embedder()
        #expect(embedder.tokenIDs(of: String(repeating: "b", count: 101)) == [101, 100, 102])
        #expect(embedder.tokenIDs(of: String(repeating: "b", count: 100)).count > 3)
    }

    @Test("special tokens written in the text are recognised verbatim, case-sensitively")
    func specialTokensInText() throws {
        let embedder = try ModelUnderTest.embedder()
        #expect(embedder.tokenIDs(of: "a[MASK]b") == [101, 1037, 103, 1038, 102])
        #expect(embedder.tokenIDs(of: "[cls]").count > 3)
    }

    @Test("vocabulary lookups compare bytes, not canonical equivalence")
    func bytewiseVocabulary() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "\u{D55C}"])
        // NFD turns the syllable into conjoining jamo, which Swift's String == would consider
        // equal to the precomposed vocabulary entry; Rust compares bytes and finds nothing.
        #expect(tokenizer.encode("\u{D55C}") == [2, 1, 3])
    }
}
