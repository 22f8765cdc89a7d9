public import ServiceLifecycle

/// Runs a clean-up when the application shuts down gracefully (closing a connection that
/// postgres-nio insists be closed, releasing leases).
///
/// Services stop in reverse order of registration, so a hook registered after the server runs
/// once the server has stopped taking requests.
public struct ShutdownHook: Service {
    let action: @Sendable () async -> Void

    public init(_ action: @escaping @Sendable () async -> Void) {
        self.action = action
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await action()
    }
}
