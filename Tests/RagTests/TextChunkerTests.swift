import Testing

@testable import Rag

@Suite("Text chunker")
struct TextChunkerTests {
    private let chunker = try! TextChunker(chunkSize: 100, overlap: 20)

    // MARK: Trivial inputs

    @Test func emptyAndBlankTextGiveNoChunks() throws {
        let chunker = try TextChunker()
        #expect(chunker.chunks(of: "").isEmpty)
        #expect(chunker.chunks(of: " \n\n\t  \r\n \u{00A0}\u{3000}").isEmpty)
    }

    @Test func textShorterThanAChunkIsOneTrimmedChunk() throws {
        let chunker = try TextChunker()
        #expect(chunker.chunks(of: "Hello, world.") == ["Hello, world."])
        #expect(chunker.chunks(of: "\n\n  Hello,\n\nworld.  \n") == ["Hello,\n\nworld."])
    }

    @Test func exactlyOneChunkOfTextIsNotSplit() {
        let text = String(Self.words(count: 200).prefix(99)) + "z"
        #expect(text.count == 100)
        #expect(chunker.chunks(of: text) == [text])
        #expect(chunker.chunks(of: "   " + text + "\n\n") == [text])
    }

    @Test func oneCharacterMoreThanAChunkIsSplit() {
        let text = String(Self.words(count: 200).prefix(100)) + "z"
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count == 2)
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func defaultsAreAThousandAndAHundredFifty() throws {
        let chunker = try TextChunker()
        #expect(chunker.chunkSize == 1000)
        #expect(chunker.overlap == 150)
    }

    // MARK: Where it cuts

    @Test func prefersParagraphBreaks() {
        let first = Self.sentences(prefix: "a", count: 6)  // about 60 characters
        let second = Self.sentences(prefix: "b", count: 6)
        let text = first + "\n\n" + second
        #expect(text.count > 100)
        let chunks = chunker.chunks(of: text)
        #expect(chunks.first == first)
        #expect(chunks.last?.hasSuffix(second) == true)
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func aParagraphBreakNearTheStartDoesNotMakeATinyChunk() {
        let text = "Title\n\n" + Self.sentences(prefix: "s", count: 20)
        let chunks = chunker.chunks(of: text)
        #expect(chunks[0].count >= 50)
        #expect(chunks[0].hasPrefix("Title\n\n"))
        #expect(chunks[0].hasSuffix("."))
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func aParagraphLongerThanAChunkIsCutAtSentenceEnds() {
        let text = Self.sentences(prefix: "w", count: 60)
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count > 5)
        for chunk in chunks {
            #expect(chunk.hasSuffix("."), "\(chunk)")
        }
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func sentenceEndsIncludeClosingQuotesAndOtherTerminators() {
        let text = (0..<30).map { "Did w\($0) say \"yes!\" Really?" }.joined(separator: " ")
        let chunks = chunker.chunks(of: text)
        for chunk in chunks {
            #expect(chunk.hasSuffix("Really?") || chunk.hasSuffix("\"yes!\""), "\(chunk)")
        }
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func aPeriodInsideANumberIsNotASentenceEnd() {
        let text = (0..<40).map { "v\($0) 3.14159" }.joined(separator: " ")
        for chunk in chunker.chunks(of: text) {
            #expect(!chunk.hasSuffix("3."), "\(chunk)")
        }
    }

    @Test func lineBreaksAreUsedWhenThereAreNoSentences() {
        let text = (0..<40).map { "item \($0) without a stop" }.joined(separator: "\n")
        let chunks = chunker.chunks(of: text)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for chunk in chunks {
            // Every chunk ends at the end of a line.
            let lastLine = chunk.split(separator: "\n").last.map(String.init) ?? ""
            #expect(lines.contains(lastLine), "\(chunk)")
        }
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func windowsLineEndingsMakeParagraphs() {
        let first = Self.sentences(prefix: "a", count: 6)
        let text = first + "\r\n\r\n" + Self.sentences(prefix: "b", count: 6)
        #expect(chunker.chunks(of: text).first == first)
    }

    @Test func hugeWhitespaceRunsStillSeparateParagraphs() {
        let first = Self.sentences(prefix: "a", count: 6) + " tail words"  // a sentence end at 59
        let spaces = String(repeating: " ", count: 5000)
        let blankLineDeepInside = first + spaces + "\n" + spaces + "\n" + spaces + "Next part."
        #expect(chunker.chunks(of: blankLineDeepInside) == [first, "Next part."])
        // Without a blank line the run is just space: the earlier sentence end wins.
        let noBreak = first + spaces + spaces + "Next part."
        #expect(chunker.chunks(of: noBreak).first == Self.sentences(prefix: "a", count: 6))
        let oneBreak = first + spaces + "\n" + spaces + "Next part."
        #expect(chunker.chunks(of: oneBreak).first == Self.sentences(prefix: "a", count: 6))
        #expect(chunker.chunks(of: String(repeating: "\n", count: 100_000)).isEmpty)
    }

    // MARK: Words

    @Test func wordsAreNeverSplit() {
        let text = Self.words(count: 2000)
        let chunks = chunker.chunks(of: text)
        let inputWords = Set(text.split(whereSeparator: \.isWhitespace))
        var seen = Set<Substring>()
        for chunk in chunks {
            for word in chunk.split(whereSeparator: \.isWhitespace) {
                #expect(inputWords.contains(word), "\"\(word)\" is not a whole word of the input")
                seen.insert(word)
            }
        }
        #expect(seen == inputWords)
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func aWordLongerThanAChunkIsHardSplitAndNothingElseIs() {
        let long = String(repeating: "abcdefghij", count: 25)  // 250 characters
        let text = "before the word " + long + " after the word"
        let chunks = chunker.chunks(of: text)
        #expect(chunks.allSatisfy { $0.count <= 100 })
        #expect(chunks.first == "before the word")
        #expect(chunks.last?.hasSuffix("after the word") == true)
        // The pieces of the long word, in order, rebuild it.
        let pieces = chunks.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(pieces.joined().hasPrefix(long))
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    @Test func aWordThatFitsButNotAfterTheOverlapDropsTheOverlap() {
        let word = String(repeating: "x", count: 95)
        let text = "one two three four five six seven eight nine ten " + word + " end"
        let chunks = chunker.chunks(of: text)
        #expect(chunks.contains(word) || chunks.contains(word + " end"))
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)
    }

    // MARK: Unicode

    @Test func cjkWithoutSpacesIsCutAfterSentencesAndBetweenCharacters() {
        let sentence = "検索拡張生成は文書を小さな断片に分けて埋め込みます。"  // 26 characters
        let text = String(repeating: sentence, count: 20)
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count > 4)
        for chunk in chunks.dropLast() {
            #expect(chunk.count <= 100)
            #expect(chunk.hasSuffix("。"), "\(chunk)")
        }
        Self.checkInvariants(of: chunks, from: text, chunker: chunker)

        let noStops = String(repeating: "日本語の文章には空白がありません", count: 20)
        let pieces = chunker.chunks(of: noStops)
        #expect(pieces.allSatisfy { $0.count <= 100 })
        Self.checkInvariants(of: pieces, from: noStops, chunker: chunker)
    }

    @Test func graphemeClustersAreNeverSplit() {
        let clusters: [String] = [
            "👨‍👩‍👧‍👦", "👍🏽", "🇫🇷", "🇩🇪", "e\u{301}", "a\u{308}\u{323}", "각", "\u{1100}\u{1161}\u{11A8}",
            "🏳️‍🌈", "ก\u{E31}", "\r\n",
        ]
        var text = ""
        for index in 0..<700 { text += clusters[index % (clusters.count - 1)] }  // no "\r\n" here
        let allowed = Set(clusters.map { Character($0) })
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count >= 7)
        for chunk in chunks {
            #expect(chunk.count <= 100)
            for character in chunk {
                #expect(allowed.contains(character), "split cluster \(character.unicodeScalars.map(\.value))")
            }
        }
        #expect(chunks.joined() == text)  // one long "word": hard-split pieces, no overlap
    }

    @Test(arguments: ["e\u{301}", "a\u{308}\u{323}", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "\u{1100}\u{1161}\u{11A8}", "ก\u{E31}", "é"])
    func hardSplitPiecesAreExactlyAChunkOfWholeClusters(cluster: String) {
        let text = "x" + String(repeating: cluster, count: 250)  // "x" shifts the cuts off any pattern
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count == 3)
        #expect(chunks.dropLast().allSatisfy { $0.count == 100 })
        #expect(chunks.joined() == text)
        for chunk in chunks.dropFirst() {
            #expect(chunk.allSatisfy { $0 == Character(cluster) }, "split cluster in \(chunk.unicodeScalars.prefix(4).map(\.value))")
        }
    }

    @Test func lengthIsCountedInCharactersNotBytesOrScalars() {
        let text = String(repeating: "é👍🏽 ", count: 33)  // 99 characters, far more bytes
        #expect(text.count == 99)
        #expect(chunker.chunks(of: text).count == 1)
    }

    // MARK: Overlap

    @Test func eachChunkStartsWithTheTailOfThePreviousOneOnAWordBoundary() {
        let text = Self.words(count: 1000)
        let chunks = chunker.chunks(of: text)
        #expect(chunks.count > 10)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            let carried = Self.carriedOverlap(from: previous, into: next)
            #expect(carried.count > 0 && carried.count <= 20, "\(previous) | \(next)")
            // It starts at a word of the previous chunk.
            let before = previous.dropLast(carried.count).last
            #expect(before?.isWhitespace == true, "overlap \"\(carried)\" starts inside a word")
            #expect(carried.first?.isWhitespace == false)
        }
    }

    @Test func noOverlapWhenItIsZero() throws {
        let chunker = try TextChunker(chunkSize: 100, overlap: 0)
        let text = Self.words(count: 500)
        let chunks = chunker.chunks(of: text)
        #expect(chunks.joined(separator: " ") == text)
    }

    // MARK: Invariants on many shapes

    @Test(arguments: [(100, 0), (100, 20), (137, 50), (250, 249), (1000, 150)])
    func chunksNeverExceedTheSizeAndCoverTheText(size: Int, overlap: Int) throws {
        let chunker = try TextChunker(chunkSize: size, overlap: overlap)
        var random = SplitMix(seed: UInt64(size * 1000 + overlap))
        for _ in 0..<20 {
            let text = Self.randomDocument(&random, length: 3000)
            let chunks = chunker.chunks(of: text)
            Self.checkInvariants(of: chunks, from: text, chunker: chunker)
            #expect(chunker.chunks(of: text) == chunks)  // deterministic
        }
    }

    @Test func aMegabyteChunksQuicklyEvenUnoptimised() throws {
        let chunker = try TextChunker()
        var random = SplitMix(seed: 7)
        var text = ""
        text.reserveCapacity(1_100_000)
        while text.utf8.count < 1_000_000 { text += Self.randomDocument(&random, length: 2000) }
        let clock = ContinuousClock()
        let started = clock.now
        let chunks = chunker.chunks(of: text)
        let elapsed = clock.now - started
        #expect(!chunks.isEmpty)
        // Generous, for unoptimised test builds on a busy machine; -O does 10 MB in ~0.1 s.
        #expect(elapsed < .seconds(5), "1 MB took \(elapsed)")
    }

    // MARK: Configuration

    @Test func refusesBadSizesNamingTheVariable() {
        #expect(throws: TextChunkerConfigurationError.chunkSizeOutOfRange(chunkSize: 99)) {
            try TextChunker(chunkSize: 99, overlap: 0)
        }
        #expect(throws: TextChunkerConfigurationError.overlapOutOfRange(overlap: 100, chunkSize: 100)) {
            try TextChunker(chunkSize: 100, overlap: 100)
        }
        #expect(throws: TextChunkerConfigurationError.overlapOutOfRange(overlap: -1, chunkSize: 100)) {
            try TextChunker(chunkSize: 100, overlap: -1)
        }
        let size = TextChunkerConfigurationError.chunkSizeOutOfRange(chunkSize: 99)
        #expect(size.variable == "CHUNK_SIZE")
        #expect(size.description == "CHUNK_SIZE must be from 100 to 1000000 characters (got 99)")
        let overlap = TextChunkerConfigurationError.overlapOutOfRange(overlap: 150, chunkSize: 120)
        #expect(overlap.variable == "CHUNK_OVERLAP")
        #expect(overlap.description == "CHUNK_OVERLAP must be at least 0 and less than CHUNK_SIZE, 120 (got 150)")
        #expect(
            TextChunkerConfigurationError.notAnInteger(variable: "CHUNK_SIZE", value: "1k").description
                == "CHUNK_SIZE must be a whole number of characters (got \"1k\")")
    }

    @Test func readsTheEnvironment() throws {
        let configured = try TextChunker(environment: ["CHUNK_SIZE": " 500 ", "CHUNK_OVERLAP": "50"])
        #expect(configured.chunkSize == 500 && configured.overlap == 50)
        let defaults = try TextChunker(environment: [:])
        #expect(defaults.chunkSize == 1000 && defaults.overlap == 150)
        #expect(throws: TextChunkerConfigurationError.notAnInteger(variable: "CHUNK_SIZE", value: "1k")) {
            try TextChunker(environment: ["CHUNK_SIZE": "1k"])
        }
        #expect(throws: TextChunkerConfigurationError.notAnInteger(variable: "CHUNK_OVERLAP", value: "-")) {
            try TextChunker(environment: ["CHUNK_OVERLAP": "-"])
        }
        #expect(try TextChunker(environment: ["CHUNK_SIZE": "", "CHUNK_OVERLAP": " "]) == TextChunker())
        #expect(throws: TextChunkerConfigurationError.overlapOutOfRange(overlap: 150, chunkSize: 120)) {
            try TextChunker(environment: ["CHUNK_SIZE": "120"])
        }
    }

    // MARK: - Helpers

    /// Checks what every chunking must satisfy: sizes, trimming, order, no gaps, overlaps that
    /// are tails of the previous chunk starting at a word.
    private static func checkInvariants(
        of chunks: [String], from text: String, chunker: TextChunker,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let characters = Array(text)
        var previousStart = -1
        var previousEnd = 0
        for chunk in chunks {
            #expect(!chunk.isEmpty, sourceLocation: sourceLocation)
            #expect(chunk.count <= chunker.chunkSize, "chunk of \(chunk.count)", sourceLocation: sourceLocation)
            #expect(
                chunk.first?.isWhitespace == false && chunk.last?.isWhitespace == false,
                "untrimmed: \(chunk.debugDescription)", sourceLocation: sourceLocation)
            let pattern = Array(chunk)
            func matches(at start: Int) -> Bool {
                start + pattern.count <= characters.count
                    && characters[start..<(start + pattern.count)].elementsEqual(pattern)
            }
            // Either it continues right after the previous chunk (only whitespace skipped)…
            var continuation = previousEnd
            while continuation < characters.count, characters[continuation].isWhitespace { continuation += 1 }
            var start: Int? = matches(at: continuation) ? continuation : nil
            // …or it starts with an overlap: a tail of the previous chunk, at a word.
            if start == nil {
                for candidate in max(previousStart + 1, previousEnd - chunker.overlap)..<previousEnd
                where matches(at: candidate) {
                    start = candidate
                    break
                }
                if let start {
                    let boundary =
                        characters[start - 1].isWhitespace
                        || isIdeographic(characters[start - 1]) || isIdeographic(characters[start])
                    #expect(boundary, "overlap starts inside a word: \(chunk.debugDescription)", sourceLocation: sourceLocation)
                }
            }
            guard let start else {
                Issue.record("chunk does not continue the text: \(chunk.debugDescription)", sourceLocation: sourceLocation)
                return
            }
            previousStart = start
            previousEnd = start + pattern.count
        }
        #expect(characters[previousEnd...].allSatisfy { $0.isWhitespace }, "text left out at the end", sourceLocation: sourceLocation)
    }

    private static func isIdeographic(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return (0x3000...0x9FFF).contains(scalar.value) || (0xFF00...0xFFEF).contains(scalar.value)
    }

    /// The longest suffix of `previous` (at most the whole of it) that `next` starts with.
    private static func carriedOverlap(from previous: String, into next: String) -> String {
        let previous = Array(previous)
        let next = Array(next)
        var length = min(previous.count, next.count)
        while length > 0 {
            if previous[(previous.count - length)...].elementsEqual(next[..<length]) {
                return String(next[..<length])
            }
            length -= 1
        }
        return ""
    }

    /// "w0 w1 w2 …": every word distinct, so a piece of one is never another.
    private static func words(count: Int) -> String {
        (0..<count).map { "w\($0)" }.joined(separator: " ")
    }

    /// Short sentences, each about ten characters: "Ab0 cd ef. Ab1 cd ef. …".
    private static func sentences(prefix: String, count: Int) -> String {
        (0..<count).map { "\(prefix.uppercased())\($0)x cd e." }.joined(separator: " ")
    }

    private static func randomDocument(_ random: inout SplitMix, length: Int) -> String {
        let pieces = [
            "alpha", "beta", "gamma", "x", "retrieval", "embedding", "é", "naïve", "日本語", "検索",
            "👍🏽", "🇫🇷", "e\u{301}e\u{301}", String(repeating: "long", count: 40), "3.14",
        ]
        let separators = [" ", " ", " ", " ", ". ", "! ", "? ", "\n", "\n\n", "。", "、", "\t", "  \n \n ", "\r\n"]
        var text = ""
        var count = 0
        while count < length {
            let piece = pieces[Int(random.next() % UInt64(pieces.count))]
            let separator = separators[Int(random.next() % UInt64(separators.count))]
            text += piece + separator
            count += piece.count + separator.count
        }
        return text
    }
}

/// A tiny deterministic generator, so failures reproduce.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
