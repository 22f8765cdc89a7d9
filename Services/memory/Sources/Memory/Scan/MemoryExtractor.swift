/// Turns the text of a completed session into memories.
///
/// Errors: `MalformedModelOutput` (or `LanguageModelRefusedSession`) is about this session —
/// the scan records it and goes on; `LanguageModelUnavailable` is about the model — the scan
/// stops and answers 503 so the caller retries later.
protocol MemoryExtractor: Sendable {
    func extract(from transcript: SessionTranscript) async throws -> [ExtractedMemory]
}
