/// A forward-only, buffered view of a document's characters (grapheme clusters), each read once
/// and tagged with the facts `TextChunker` cuts by: whitespace, line and paragraph breaks,
/// sentence ends, and where a word may begin.
///
/// Why not `Array(text)` and `Character.isWhitespace`? A 10 MB upload would cost 160 MB of
/// `Character`s, and the Unicode property lookups alone take most of a second. Here ASCII — where
/// grapheme breaks are trivial — is classified byte by byte; anything else goes through
/// `String.index(after:)`, so a cluster is never split. Only the characters of the current window
/// are kept: the chunker drops what lies before its window as it advances, and a whitespace run
/// longer than a chunk is kept as just long enough (with its line breaks) to tell it apart, so
/// that 10 MB of blank lines cannot cost 80 MB.
struct CharacterWindow {
    // MARK: Facts about one character

    static var whitespace: UInt16 { 1 << 0 }
    static var newline: UInt16 { 1 << 1 }
    /// U+2029 PARAGRAPH SEPARATOR: a paragraph break on its own.
    static var paragraphSeparator: UInt16 { 1 << 2 }
    /// `.`, `!`, `?`, `…` and the like: they end a sentence when whitespace follows.
    static var sentenceTerminator: UInt16 { 1 << 3 }
    /// `。`, `！`, `？`: they end a sentence even when text follows at once (no spaces in CJK).
    static var ideographicTerminator: UInt16 { 1 << 4 }
    /// Closing quotes and brackets, which may sit between a sentence's end and the space.
    static var closer: UInt16 { 1 << 5 }
    /// A break between two non-space characters is allowed here (CJK text has no spaces).
    static var ideographicBreakBefore: UInt16 { 1 << 6 }
    /// The first character of a word: where an overlap may start.
    static var wordStart: UInt16 { 1 << 7 }
    static var ideograph: UInt16 { 1 << 8 }
    static var ideographicOpening: UInt16 { 1 << 9 }
    static var ideographicClosing: UInt16 { 1 << 10 }
    static var noBreakBefore: UInt16 { 1 << 11 }
    static var noBreakAfter: UInt16 { 1 << 12 }

    private static let asciiFacts: [UInt16] = {
        var facts = [UInt16](repeating: 0, count: 128)
        for byte in [0x09, 0x20] { facts[byte] = whitespace }
        for byte in [0x0A, 0x0B, 0x0C, 0x0D] { facts[byte] = whitespace | newline }
        for byte in Array(".!?".utf8) { facts[Int(byte)] = sentenceTerminator | noBreakBefore }
        for byte in Array("\"')]}".utf8) { facts[Int(byte)] = closer | noBreakBefore }
        for byte in Array(",;:%".utf8) { facts[Int(byte)] = noBreakBefore }
        for byte in Array("([{".utf8) { facts[Int(byte)] = noBreakAfter }
        return facts
    }()

    /// Facts about a character whose first Unicode scalar is `scalar` (not ASCII).
    static func facts(ofScalar scalar: UInt32) -> UInt16 {
        switch scalar {
        case 0x85, 0x2028: return whitespace | newline
        case 0x2029: return whitespace | newline | paragraphSeparator
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return whitespace
        case 0x2026, 0x203C, 0x2047...0x2049, 0x061F, 0x06D4, 0x0964, 0x0965:
            return sentenceTerminator | noBreakBefore
        case 0x3002, 0xFF01, 0xFF0E, 0xFF1F, 0xFF61:
            return ideographicTerminator | ideographicClosing | noBreakBefore
        case 0x2019, 0x201D, 0x00BB, 0x203A:
            return closer | noBreakBefore
        case 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0xFF09, 0xFF3D, 0xFF63:
            return closer | ideographicClosing | noBreakBefore
        case 0x3001, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF64:
            return ideographicClosing | noBreakBefore
        case 0x2018, 0x201C, 0x00AB, 0x2039:
            return noBreakAfter
        case 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF08, 0xFF3B, 0xFF62:
            return ideographicOpening | noBreakAfter
        case 0x3005, 0x30FC, 0xFF70:
            // Iteration mark and prolonged sound marks continue the preceding kana or kanji.
            return ideograph | noBreakBefore
        case 0x3041...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            return ideograph
        default:
            return 0
        }
    }

    // MARK: State

    private let text: String
    private let bytes: UnsafeBufferPointer<UInt8>
    private let asciiFacts = CharacterWindow.asciiFacts
    /// Byte offset of the first character not read yet.
    private var readPosition = 0
    /// Facts of the last character read; "whitespace" before the first, so it starts a word.
    private var previousFacts: UInt16 = CharacterWindow.whitespace
    /// Absolute index (counted in characters from the start of the text) of `entries[0]`.
    private var base = 0
    /// One entry per character read and not dropped: its UTF-8 offset << 16 | its facts.
    private var entries: [UInt64] = []
    /// The last boundary `String.index(after:)` returned, with its UTF-8 offset.
    private var lastCharacterEnd: (index: String.Index, offset: Int)
    /// Whitespace characters kept of the current run, and line breaks seen in it.
    private var whitespaceKept = 0
    private var lineBreaksInRun = 0
    /// Past this many kept whitespace characters, a run's further characters are not kept.
    private let longestWhitespaceKept: Int

    /// `bytes` must be `text`'s contiguous UTF-8 storage and outlive the window. A whitespace run
    /// longer than `longestWhitespaceKept` is shortened to it: no chunk can hold such a run, so
    /// a chunker whose chunks are shorter than that sees no difference.
    init(text: String, bytes: UnsafeBufferPointer<UInt8>, longestWhitespaceKept: Int) {
        self.text = text
        self.bytes = bytes
        self.longestWhitespaceKept = max(1, longestWhitespaceKept)
        lastCharacterEnd = (text.startIndex, 0)
    }

    // MARK: Access by absolute character index

    /// Reads up to and including character `index`; false when the text ends before it.
    @inline(__always)
    mutating func load(_ index: Int) -> Bool {
        index < base + entries.count || loadMore(through: index)
    }

    private mutating func loadMore(through index: Int) -> Bool {
        while base + entries.count <= index {
            guard readPosition < bytes.count else { return false }
            readNextCharacter()
        }
        return true
    }

    /// The facts of character `index`, which must have been loaded and not dropped.
    @inline(__always)
    func facts(at index: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: entries[index - base])
    }

    /// The UTF-8 offset where character `index` starts; the text's length for the index just past
    /// its last character.
    mutating func byteOffset(at index: Int) -> Int {
        load(index) ? Int(entries[index - base] >> 16) : bytes.count
    }

    /// The first character at or after `index` that is not whitespace, if any.
    mutating func firstNonWhitespace(from index: Int) -> Int? {
        var index = index
        while load(index) {
            if facts(at: index) & Self.whitespace == 0 { return index }
            index += 1
        }
        return nil
    }

    /// Forgets characters before `index`; they will not be asked for again.
    mutating func drop(before index: Int) {
        let count = index - base
        // Compact only now and then, so the cost stays proportional to what was read.
        guard count >= 4096, count * 2 >= entries.count else { return }
        entries.removeFirst(count)
        base = index
    }

    /// The text between two character indices, as a new string.
    mutating func string(from start: Int, to end: Int) -> String {
        let lower = byteOffset(at: start)
        let upper = byteOffset(at: end)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }

    // MARK: Reading

    private mutating func readNextCharacter() {
        let (start, end, facts) = character(at: readPosition)
        var current = facts
        let previous = previousFacts
        previousFacts = current
        readPosition = end
        if current & Self.whitespace != 0 {
            if current & Self.newline != 0 {
                lineBreaksInRun += current & Self.paragraphSeparator != 0 ? 2 : 1
            }
            whitespaceKept += 1
        } else {
            whitespaceKept = 0
            lineBreaksInRun = 0
            if previous & Self.whitespace != 0 {
                current |= Self.wordStart
            } else if current & Self.noBreakBefore == 0, previous & Self.noBreakAfter == 0,
                previous & (Self.ideograph | Self.ideographicClosing) != 0
                    || current & (Self.ideograph | Self.ideographicOpening) != 0
            {
                current |= Self.ideographicBreakBefore | Self.wordStart
            }
        }
        entries.append(UInt64(start) << 16 | UInt64(current))
        if whitespaceKept == longestWhitespaceKept { skipRestOfWhitespaceRun() }
    }

    /// Reads on to the end of a whitespace run that has reached `longestWhitespaceKept`, keeping
    /// none of it; the last kept character carries whether the whole run has a line break or a
    /// blank line, which is all the chunker asks of it.
    private mutating func skipRestOfWhitespaceRun() {
        while readPosition < bytes.count {
            let (_, end, facts) = character(at: readPosition)
            guard facts & Self.whitespace != 0 else { return }
            if facts & Self.newline != 0 {
                lineBreaksInRun += facts & Self.paragraphSeparator != 0 ? 2 : 1
                let breaks = lineBreaksInRun >= 2 ? Self.newline | Self.paragraphSeparator : Self.newline
                entries[entries.count - 1] |= UInt64(breaks)
            }
            readPosition = end
        }
    }

    /// The character starting at byte `start`: where it ends and its facts (before the facts
    /// that depend on the previous character).
    private mutating func character(at start: Int) -> (start: Int, end: Int, facts: UInt16) {
        let lead = bytes[start]
        if lead < 0x80 {
            let facts = asciiFacts[Int(lead)]
            let next = start + 1
            if lead == 0x0D, next < bytes.count, bytes[next] == 0x0A {
                return (start, next + 1, facts)  // CR LF is one character
            }
            if next >= bytes.count || bytes[next] < 0x80 || lead < 0x20 || lead == 0x7F {
                // Between two ASCII scalars, and after a control, a grapheme always breaks.
                return (start, next, facts)
            }
            return (start, endOfCharacter(startingAt: start), facts)  // e.g. "e" + U+0301
        }
        return (start, endOfCharacter(startingAt: start), Self.facts(ofScalar: scalar(at: start)))
    }

    private mutating func endOfCharacter(startingAt offset: Int) -> Int {
        let utf8 = text.utf8
        // Reuse the index the previous step returned when it is where we are: it is known to be
        // on a character boundary, so `index(after:)` need not look back to check.
        let index =
            offset == lastCharacterEnd.offset
            ? lastCharacterEnd.index
            : utf8.index(utf8.startIndex, offsetBy: offset)
        let end = text.index(after: index)
        let endOffset = utf8.distance(from: utf8.startIndex, to: end)
        lastCharacterEnd = (end, endOffset)
        return endOffset
    }

    /// Decodes the Unicode scalar whose (non-ASCII) lead byte is at `offset`.
    private func scalar(at offset: Int) -> UInt32 {
        let lead = UInt32(bytes[offset])
        func continuation(_ i: Int) -> UInt32 { UInt32(bytes[offset + i] & 0x3F) }
        if lead < 0xE0 { return (lead & 0x1F) << 6 | continuation(1) }
        if lead < 0xF0 { return (lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2) }
        return (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3)
    }
}
