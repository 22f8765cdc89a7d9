/// Splits a document's text into the chunks that are embedded and searched.
///
/// A chunk has at most `chunkSize` characters (grapheme clusters, what a reader counts), so it
/// fits the embedding model's window. It ends where a reader would pause — a paragraph break if
/// one falls in the second half of the chunk, else a sentence end, else a line break, else
/// between words — so a hit reads as a passage rather than a fragment. A word is cut only when it
/// alone is longer than a chunk, and then between grapheme clusters, never inside one.
///
/// Each chunk after the first starts with up to `overlap` characters from the end of the previous
/// chunk, beginning at a word, so a sentence that straddles a cut can still be found whole in one
/// of the two chunks. When the overlap would leave no room for the next word, that chunk goes
/// without it. Chunks carry no surrounding whitespace and never consist of whitespace alone.
///
/// The result depends only on the text and the two sizes. It is built in one forward pass over the
/// text, holding only the current window, so a 10 MB upload chunks in a fraction of a second.
public struct TextChunker: Sendable, Hashable {
    public static let defaultChunkSize = 1000
    public static let defaultOverlap = 150
    /// Below this a chunk carries too little context for an embedding to mean much.
    public static let minimumChunkSize = 100
    /// A guard against typos (`CHUNK_SIZE=10000000`); far beyond any embedding model's window.
    public static let maximumChunkSize = 1_000_000

    /// The most characters a chunk may have.
    public let chunkSize: Int
    /// The most characters carried from the end of one chunk into the start of the next.
    public let overlap: Int

    public init(
        chunkSize: Int = TextChunker.defaultChunkSize,
        overlap: Int = TextChunker.defaultOverlap
    ) throws(TextChunkerConfigurationError) {
        guard chunkSize >= Self.minimumChunkSize, chunkSize <= Self.maximumChunkSize else {
            throw .chunkSizeOutOfRange(chunkSize: chunkSize)
        }
        guard overlap >= 0, overlap < chunkSize else {
            throw .overlapOutOfRange(overlap: overlap, chunkSize: chunkSize)
        }
        self.chunkSize = chunkSize
        self.overlap = overlap
    }

    /// Reads `CHUNK_SIZE` and `CHUNK_OVERLAP`; unset or empty means the default (1000, 150).
    public init(environment: [String: String]) throws(TextChunkerConfigurationError) {
        func integer(_ variable: String, default fallback: Int) throws(TextChunkerConfigurationError) -> Int {
            guard let raw = environment[variable] else { return fallback }
            let trimmed = raw.trimmingWhitespace()
            if trimmed.isEmpty { return fallback }
            guard let value = Int(trimmed) else { throw .notAnInteger(variable: variable, value: raw) }
            return value
        }
        try self.init(
            chunkSize: integer("CHUNK_SIZE", default: Self.defaultChunkSize),
            overlap: integer("CHUNK_OVERLAP", default: Self.defaultOverlap)
        )
    }

    /// The chunks of `text`, in document order; empty when the text is empty or only whitespace.
    public func chunks(of text: String) -> [String] {
        var source = text
        source.makeContiguousUTF8()
        let contiguous = source
        return contiguous.utf8.withContiguousStorageIfAvailable { bytes in
            var window = CharacterWindow(text: contiguous, bytes: bytes, longestWhitespaceKept: chunkSize + 1)
            return chunks(in: &window)
        } ?? []
    }

    // MARK: - Cutting

    private func chunks(in window: inout CharacterWindow) -> [String] {
        var chunks: [String] = []
        guard var head = window.firstNonWhitespace(from: 0) else { return chunks }
        // First character that no chunk holds yet; head < newContent while carrying an overlap.
        var newContent = head
        while true {
            window.drop(before: head)
            let candidates = scan(&window, from: head)
            let fresh = newContent - head
            if candidates.reachesEnd {
                chunks.append(window.string(from: head, to: head + candidates.contentEnd))
                return chunks
            }
            // A paragraph, sentence or line cut must keep at least half of the new room, so that
            // a heading or short paragraph near the start does not make a tiny chunk.
            let minimum = max(fresh + 1, fresh + (chunkSize - fresh) / 2)
            let cut: Int
            if candidates.paragraph >= minimum {
                cut = candidates.paragraph
            } else if candidates.sentence >= minimum {
                cut = candidates.sentence
            } else if candidates.line >= minimum {
                cut = candidates.line
            } else if candidates.word > fresh {
                cut = candidates.word
            } else if fresh > 0 {
                // The overlap leaves no room for the next word: go without it this once.
                head = newContent
                continue
            } else {
                // A single word longer than a chunk: cut it between grapheme clusters.
                cut = chunkSize
            }
            let end = head + cut
            chunks.append(window.string(from: head, to: end))

            guard let next = window.firstNonWhitespace(from: end) else { return chunks }
            var start = next
            if overlap > 0 {
                var position = max(head + 1, end - overlap)
                while position < end {
                    if window.facts(at: position) & CharacterWindow.wordStart != 0 {
                        start = position
                        break
                    }
                    position += 1
                }
            }
            head = start
            newContent = next
        }
    }

    /// Reads the window that starts at `head` (`chunkSize` characters, plus the whitespace just
    /// past it, which decides whether its end is a word or paragraph break) and notes every place
    /// it may be cut.
    private func scan(_ window: inout CharacterWindow, from head: Int) -> ChunkEndCandidates {
        typealias Facts = CharacterWindow
        let terminators = Facts.sentenceTerminator | Facts.ideographicTerminator
        var candidates = ChunkEndCandidates()
        // 0: no sentence end pending; 1: one ends if whitespace follows; 2: one has ended.
        var sentenceEnd = 0
        var runStart = -1
        var runBreaks = 0
        var position = 0
        while true {
            guard window.load(head + position) else {
                candidates.reachesEnd = true
                return candidates
            }
            let facts = window.facts(at: head + position)
            if facts & Facts.whitespace != 0 {
                if runStart < 0 {
                    runStart = position
                    runBreaks = 0
                    candidates.word = position
                    if sentenceEnd != 0 { candidates.sentence = position }
                    sentenceEnd = 0
                }
                if facts & Facts.newline != 0 {
                    runBreaks += facts & Facts.paragraphSeparator != 0 ? 2 : 1
                    if runBreaks >= 2 {
                        candidates.paragraph = runStart
                    } else {
                        candidates.line = runStart
                    }
                }
            } else {
                let continuesSentenceEnd =
                    facts & terminators != 0
                    || (sentenceEnd != 0 && facts & Facts.closer != 0)
                if position >= chunkSize {
                    // The first character past the window: may the window end just before it?
                    if facts & Facts.ideographicBreakBefore != 0 { candidates.word = position }
                    if sentenceEnd == 2, !continuesSentenceEnd { candidates.sentence = position }
                    return candidates
                }
                runStart = -1
                if facts & Facts.ideographicBreakBefore != 0 { candidates.word = position }
                if continuesSentenceEnd {
                    if facts & Facts.ideographicTerminator != 0 {
                        sentenceEnd = 2
                    } else if facts & Facts.sentenceTerminator != 0, sentenceEnd == 0 {
                        sentenceEnd = 1
                    }
                } else {
                    if sentenceEnd == 2 { candidates.sentence = position }
                    sentenceEnd = 0
                }
                candidates.contentEnd = position + 1
            }
            position += 1
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace (no Foundation needed).
    fileprivate func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
