/// Where `TextChunker` may end the chunk that starts at a given character, found in one pass
/// over its window and ranked by the chunker: paragraph, sentence, line, then word.
///
/// Positions count characters from the window's first one; a chunk ending at p keeps 0..<p.
/// Each is the latest of its kind in the window, or -1 when there is none, because the chunker
/// wants chunks as full as their boundaries allow.
struct ChunkEndCandidates {
    /// Before a run of whitespace holding a blank line (or U+2029).
    var paragraph = -1
    /// After `.`, `!`, `?` (and closing quotes) followed by whitespace, or after `。`, `！`, `？`.
    var sentence = -1
    /// Before a run of whitespace holding a line break.
    var line = -1
    /// Before any whitespace, or between two CJK characters.
    var word = -1
    /// One past the last non-whitespace character seen.
    var contentEnd = 0
    /// The window holds every remaining non-whitespace character: this chunk is the last.
    var reachesEnd = false
}
