import ApexProtocol
import Embeddings
import Foundation
import ServiceKit

/// Turns an uploaded document into stored, searchable chunks.
///
/// Order matters for cost and for atomicity: the content hash is checked first (a re-upload
/// costs one indexed lookup, not an embedding run), then text is extracted, chunked and
/// embedded in batches, and only then is everything written in one transaction — so a failure
/// anywhere leaves nothing behind, and two identical uploads racing end as one document.
struct DocumentIngest: Sendable {
    let store: any DocumentStore
    let embedder: any Embedder
    let chunker: TextChunker
    let batchSize: Int

    func ingest(_ request: CreateDocumentRequest, userID: String) async throws -> Document {
        let fingerprint = DocumentFingerprint(content: request.content).hex
        if var existing = try await store.document(withHash: fingerprint, userID: userID) {
            existing.deduplicated = true
            return existing
        }
        let docType = request.resolvedDocType
        var text = docType == .html ? HTMLTextExtractor().text(fromHTML: request.content) : request.content
        // PostgreSQL text cannot hold NUL; it carries no meaning in a document either.
        if text.contains("\u{0}") { text = text.replacingOccurrences(of: "\u{0}", with: "") }
        let chunks = chunker.chunks(of: text)
        guard !chunks.isEmpty else {
            throw APIError.invalid("content", "has no text to index")
        }
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(chunks.count)
        var start = 0
        while start < chunks.count {
            let batch = Array(chunks[start..<min(start + batchSize, chunks.count)])
            let vectors = try await embedder.embed(batch)
            guard vectors.count == batch.count, vectors.allSatisfy({ $0.count == embedder.model.dimension }) else {
                throw EmbedderContractViolation(expected: batch.count, dimension: embedder.model.dimension)
            }
            embeddings.append(contentsOf: vectors)
            start += batchSize
        }
        let document = NewDocument(
            id: UUIDv7.string(), userID: userID, filename: request.filename, docType: docType,
            fileHash: fingerprint, metadata: request.metadata ?? [:])
        return try await store.insert(document, chunks: chunks, embeddings: embeddings)
    }
}

/// An embedder answered with the wrong number or size of vectors: a bug or a misconfigured
/// remote model, never stored.
struct EmbedderContractViolation: Error, CustomStringConvertible {
    let expected: Int
    let dimension: Int
    var description: String { "the embedder did not return \(expected) vectors of \(dimension) dimensions" }
}
