public import ApexProtocol
public import Foundation

/// The user's view of the task queue: enqueue (idempotent by key), list, read.
public protocol TaskStore: Sendable {
    /// The new task and `true`, or — when the user already enqueued `idempotencyKey` — the first
    /// task with that key and `false`.
    func enqueue(
        _ action: JobAction, idempotencyKey: String?, maxAttempts: Int, for userID: String
    ) async throws -> (BackgroundTask, created: Bool)
    func list(for userID: String, status: TaskStatus?, limit: Int, after cursor: ListPosition?) async throws -> Page<BackgroundTask>
    func task(_ id: UUID, for userID: String) async throws -> BackgroundTask?
}
