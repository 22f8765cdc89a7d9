/// How long a stub server keeps accepting after its test is done.
///
/// A client whose call timed out may still be connecting when the test returns; a Hummingbird
/// HTTP/1.1 server that accepts a connection while it shuts down drops the connection's
/// `NIOAsyncChannel` unused, and NIO traps on that in debug builds ("Deinited NIOAsyncWriter
/// without calling finish()", seen once in the Gemini timeout tests under load). Stubs wait this
/// long before returning, so late connections meet a running server.
public enum LingeringStub {
    public static let linger: Duration = .milliseconds(300)

    /// Runs `body`, then waits ``linger`` (also when `body` throws).
    public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            try? await Task.sleep(for: linger)
            return value
        } catch {
            try? await Task.sleep(for: linger)
            throw error
        }
    }
}
