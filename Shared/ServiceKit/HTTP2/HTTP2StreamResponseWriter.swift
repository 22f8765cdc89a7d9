import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Writes a response to an HTTP/2 stream channel.
///
/// A body of known, small length (every JSON answer) goes out with its head and end in one
/// hop to the event loop and one flush. A streamed body (unknown or large length) is written
/// part by part, each flushed and awaited, so a slow client holds the writer back instead of
/// the process buffering the whole body.
enum HTTP2StreamResponseWriter {
    /// Bodies up to this many bytes with a known length are sent in one flush.
    static let gatherLimit = 1 << 20

    /// Writes `response`; the future completes once the end of the stream has left HTTP/2's
    /// flow-control buffer (or failed), nil when the stream was closed instead of ended.
    @discardableResult
    static func write(_ response: consuming Response, to stream: any Channel) async -> EventLoopFuture<Void>? {
        let head = response.head
        let gather = response.body.contentLength.map { $0 <= gatherLimit } ?? false
        let progress = Progress()
        do {
            try await response.body.write(BodyWriter(stream: stream, head: head, gather: gather, progress: progress))
        } catch {
            // A streamed body failed part-way: the client must not take it for a whole answer.
            stream.close(promise: nil)
            return nil
        }
        if let ended = progress.ended { return ended }
        // A body closure that never called `finish`: end the stream rather than leave it open.
        return send(progress.headSent ? [] : [.head(head)], end: nil, on: stream)
    }

    /// Writes `parts` then the end of the stream, in one hop to the stream's event loop.
    static func send(_ parts: [HTTPResponsePart], end trailers: HTTPFields?, on stream: any Channel) -> EventLoopFuture<Void> {
        let ended = stream.eventLoop.makePromise(of: Void.self)
        if stream.eventLoop.inEventLoop {
            for part in parts { stream.write(part, promise: nil) }
            stream.writeAndFlush(HTTPResponsePart.end(trailers), promise: ended)
            return ended.futureResult
        }
        stream.eventLoop.execute {
            for part in parts { stream.write(part, promise: nil) }
            stream.writeAndFlush(HTTPResponsePart.end(trailers), promise: ended)
        }
        return ended.futureResult
    }

    /// What the writer did, readable after `ResponseBody.write` consumed it.
    final class Progress: @unchecked Sendable {
        var headSent = false
        /// The end of the stream's write, once `finish` sent it.
        var ended: EventLoopFuture<Void>?
    }

    struct BodyWriter: ResponseBodyWriter {
        let stream: any Channel
        let head: HTTPResponse
        let gather: Bool
        let progress: Progress
        var gathered: [HTTPResponsePart] = []

        init(stream: any Channel, head: HTTPResponse, gather: Bool, progress: Progress) {
            self.stream = stream
            self.head = head
            self.gather = gather
            self.progress = progress
        }

        mutating func write(_ buffer: ByteBuffer) async throws {
            if gather {
                gathered.append(.body(buffer))
                return
            }
            var parts: [HTTPResponsePart] = []
            if !progress.headSent {
                parts.append(.head(head))
                progress.headSent = true
            }
            parts.append(.body(buffer))
            let stream = self.stream
            let written = stream.eventLoop.makePromise(of: Void.self)
            let toWrite = parts
            stream.eventLoop.execute {
                for part in toWrite.dropLast() { stream.write(part, promise: nil) }
                stream.writeAndFlush(toWrite.last!, promise: written)
            }
            try await written.futureResult.get()
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            var parts = gathered
            if !progress.headSent {
                parts.insert(.head(head), at: 0)
                progress.headSent = true
            }
            progress.ended = HTTP2StreamResponseWriter.send(parts, end: trailingHeaders, on: stream)
        }
    }
}
