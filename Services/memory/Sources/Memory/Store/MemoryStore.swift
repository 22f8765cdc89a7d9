import ApexProtocol
import Foundation

/// Long-term memories of one user at a time. Every method is scoped to `userID`: another
/// user's memory is indistinguishable from a missing one (`nil` / `false`).
protocol MemoryStore: Sendable {
    /// Adds the memory, or refreshes the user's existing near-duplicate (cosine ≥ the dedup
    /// threshold) and returns that one with `deduplicated = true`.
    func create(_ draft: MemoryDraft, userID: String) async throws -> StoredMemory
    /// Newest first; `category` filters when given.
    func list(userID: String, category: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<Memory>
    func get(id: UUID, userID: String) async throws -> Memory?
    func update(id: UUID, userID: String, changes: MemoryChanges) async throws -> Memory?
    func delete(id: UUID, userID: String) async throws -> Bool
    /// Best first: vector and keyword rankings fused by reciprocal rank fusion.
    func search(_ search: MemorySearch, userID: String) async throws -> [RankedMemory]
}
