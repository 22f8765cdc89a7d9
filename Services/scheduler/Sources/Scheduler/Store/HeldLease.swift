public import Foundation

/// One lease as the heartbeat and the shutdown release name it.
public struct HeldLease: Sendable, Hashable {
    public let taskID: UUID
    public let token: String

    public init(taskID: UUID, token: String) {
        self.taskID = taskID
        self.token = token
    }
}
