import ApexProtocol
import Embeddings
import Logging
import ServiceKit

/// `POST /api/v1/memories/scan`: turns the user's completed, not yet scanned sessions into
/// memories.
///
/// Per session: extract (rules or a language model, outside any transaction), embed the
/// extracted texts, then one transaction marks the session scanned and stores the memories
/// through the same near-duplicate merge as `POST /api/v1/memories`. A failure before that
/// commit leaves the session unscanned (it is read again next time); a session scanned once is
/// never read again, so a second scan adds nothing. Malformed model output is recorded for its
/// session and the scan moves on; an unreachable model stops the scan with 503.
struct MemoryScanner: Sendable {
    let store: any ScanStore
    let extractor: any MemoryExtractor
    let embedder: any Embedder
    let settings: MemoryScanSettings
    let logger: Logger

    static let source = "scan"

    func scan(userID: String) async throws -> MemoryScanResponse {
        let sessions = try await store.pendingSessions(userID: userID, limit: settings.maxSessions, maxAttempts: settings.maxAttempts)
        var scanned = 0
        var added = 0
        for session in sessions {
            let extracted: [ExtractedMemory]
            do {
                extracted = try await extractor.extract(from: session)
            } catch let error as MalformedModelOutput {
                try await recordFailure(error, session: session, userID: userID)
                continue
            } catch let error as LanguageModelRefusedSession {
                try await recordFailure(error, session: session, userID: userID)
                continue
            } catch let error as LanguageModelUnavailable {
                logger.error("memory scan stopped", metadata: ["error": "\(error)", "scanned": "\(scanned)"])
                throw APIError(
                    .upstreamUnavailable, "the language model that extracts memories is unavailable; try again later",
                    headers: [.retryAfter: "30"])
            }
            let vectors = extracted.isEmpty ? [] : try await embedder.embed(extracted.map(\.text))
            let drafts = zip(extracted, vectors).map { memory, vector in
                MemoryDraft(
                    text: memory.text, category: memory.category, source: Self.source, confidence: memory.confidence,
                    metadata: ["session_id": .string(session.sessionID)], embedding: vector)
            }
            guard let count = try await store.recordScan(userID: userID, sessionID: session.sessionID, drafts: drafts) else {
                continue  // a concurrent scan took it, or it is no longer completed
            }
            scanned += 1
            added += count
        }
        return MemoryScanResponse(sessionsScanned: scanned, memoriesAdded: added)
    }

    private func recordFailure(_ error: any Error, session: SessionTranscript, userID: String) async throws {
        logger.warning(
            "memory extraction failed for a session", metadata: ["session_id": "\(session.sessionID)", "error": "\(error)"])
        try await store.recordFailure(userID: userID, sessionID: session.sessionID, error: "\(error)")
    }
}
