public import HTTPTypes
public import HummingbirdCore

/// The protocol a request arrived on, as a server-set header.
///
/// Hummingbird's request has no HTTP version; the dual-protocol channel knows it, so it stamps
/// each request with this header, overwriting anything a client sent under the same name.
public enum HTTPVersionHeader {
    public static let name = HTTPField.Name("x-apex-http-version")!

    static func marking(_ responder: @escaping HTTPChannelHandler.Responder, as version: String) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            var head = request.head
            head.headerFields[name] = version
            try await responder(Request(head: head, body: request.body), writer, channel)
        }
    }

    /// `"1.1"` or `"2"`.
    public static func version(of request: Request) -> String {
        request.headers.value(of: name) ?? "1.1"
    }
}
