import Hummingbird
import NIOCore

extension JSONDocument: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        let buffer = ByteBuffer(string: text)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer))
    }
}
