public import ApexProtocol
public import Foundation

/// What `finish` recorded for a task whose lease was still held.
public struct FinishedTask: Sendable, Equatable {
    public let id: UUID
    public let status: TaskStatus
}
