import HTTPTypes
import Hummingbird
import NIOCore
import NIOHPACK
import NIOHTTP2

/// Writes a response to an HTTP/2 stream as frames.
///
/// A body of known, small length (every JSON answer) goes out as HEADERS and one DATA frame
/// carrying END_STREAM (HEADERS alone when there is no body), in one hop to the event loop and
/// one flush. Through swift-nio-extras' HTTP-types codec the same answer took three frames: it
/// ends every message with an empty DATA frame of its own (see `HPACKHeaders+HTTPTypes.swift`).
/// A streamed body (unknown or large length) is written part by part, each flushed and awaited,
/// so a slow client holds the writer back instead of the process buffering the whole body.
enum HTTP2StreamResponseWriter {
    /// Bodies up to this many bytes with a known length are sent in one flush.
    static let gatherLimit = 1 << 20

    /// Writes `response` on `frames` (the context of the stream's ``HTTP2StreamResponder``); the
    /// future completes once the end of the stream has left HTTP/2's flow-control buffer (or
    /// failed), nil when the stream was closed instead of ended.
    @discardableResult
    static func write(_ response: consuming Response, to frames: NIOLoopBound<ChannelHandlerContext>) async -> EventLoopFuture<Void>? {
        let head = response.head
        let gather = response.body.contentLength.map { $0 <= gatherLimit } ?? false
        let progress = Progress()
        do {
            try await response.body.write(BodyWriter(frames: frames, head: head, gather: gather, progress: progress))
        } catch {
            // A streamed body failed part-way: the client must not take it for a whole answer.
            frames.eventLoop.execute { frames.value.close(promise: nil) }
            return nil
        }
        if let ended = progress.ended { return ended }
        // A body closure that never called `finish`: end the stream rather than leave it open.
        return send(head: progress.headSent ? nil : head, body: [], trailers: nil, on: frames)
    }

    /// Writes the head (unless nil), the body's parts and the end of the stream, in one hop to
    /// the stream's event loop and one flush. END_STREAM rides on the last frame: the trailers,
    /// else the last DATA frame, else the HEADERS; an empty DATA frame carries it only when the
    /// head went out earlier and nothing else is left.
    static func send(
        head: HTTPResponse?, body: [ByteBuffer], trailers: HTTPFields?, on frames: NIOLoopBound<ChannelHandlerContext>
    ) -> EventLoopFuture<Void> {
        let ended = frames.eventLoop.makePromise(of: Void.self)
        if frames.eventLoop.inEventLoop {
            writeFrames(head: head, body: body, trailers: trailers, to: frames.value, ended: ended)
        } else {
            frames.eventLoop.execute {
                writeFrames(head: head, body: body, trailers: trailers, to: frames.value, ended: ended)
            }
        }
        return ended.futureResult
    }

    private static func writeFrames(
        head: HTTPResponse?, body: [ByteBuffer], trailers: HTTPFields?, to context: ChannelHandlerContext, ended: EventLoopPromise<Void>
    ) {
        var payloads: [HTTP2Frame.FramePayload] = []
        payloads.reserveCapacity(body.count + 2)
        if let head { payloads.append(.headers(.init(headers: HPACKHeaders(response: head)))) }
        for part in body where part.readableBytes > 0 { payloads.append(.data(.init(data: .byteBuffer(part)))) }
        if let trailers {
            payloads.append(.headers(.init(headers: HPACKHeaders(trailers: trailers), endStream: true)))
        } else if let last = payloads.indices.last {
            switch payloads[last] {
            case .headers(var headers):
                headers.endStream = true
                payloads[last] = .headers(headers)
            case .data(var data):
                data.endStream = true
                payloads[last] = .data(data)
            default: break
            }
        } else {
            payloads.append(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
        }
        for payload in payloads.dropLast() { context.write(NIOAny(payload), promise: nil) }
        context.writeAndFlush(NIOAny(payloads[payloads.count - 1]), promise: ended)
    }

    /// What the writer did, readable after `ResponseBody.write` consumed it.
    final class Progress: @unchecked Sendable {
        var headSent = false
        /// The end of the stream's write, once `finish` sent it.
        var ended: EventLoopFuture<Void>?
    }

    struct BodyWriter: ResponseBodyWriter {
        let frames: NIOLoopBound<ChannelHandlerContext>
        let head: HTTPResponse
        let gather: Bool
        let progress: Progress
        var gathered: [ByteBuffer] = []

        init(frames: NIOLoopBound<ChannelHandlerContext>, head: HTTPResponse, gather: Bool, progress: Progress) {
            self.frames = frames
            self.head = head
            self.gather = gather
            self.progress = progress
        }

        mutating func write(_ buffer: ByteBuffer) async throws {
            if gather {
                gathered.append(buffer)
                return
            }
            let head: HTTPResponse? = progress.headSent ? nil : self.head
            progress.headSent = true
            let frames = self.frames
            let written = frames.eventLoop.makePromise(of: Void.self)
            frames.eventLoop.execute {
                let context = frames.value
                if let head {
                    context.write(NIOAny(HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders(response: head)))), promise: nil)
                }
                context.writeAndFlush(NIOAny(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(buffer)))), promise: written)
            }
            try await written.futureResult.get()
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            let head: HTTPResponse? = progress.headSent ? nil : self.head
            progress.headSent = true
            progress.ended = HTTP2StreamResponseWriter.send(head: head, body: gathered, trailers: trailingHeaders, on: frames)
        }
    }
}
