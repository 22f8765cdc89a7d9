public import ApexProtocol
import Foundation
public import Hummingbird
import NIOCore

/// Decodes request bodies the way the API promises: JSON only (415 otherwise), at most
/// `MAX_BODY_BYTES` (413), malformed JSON and type errors as 400 naming the field, and every
/// contract's own validation rules (`ContractValidatable`) as 400 with `errors[]`.
public struct ApexRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let contentType = request.headers.value(of: .contentType), Self.isJSON(contentType) else {
            throw APIError(.unsupportedMediaType, "the body must be JSON (Content-Type: application/json)")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let value = try Self.decode(type, from: buffer)
        if let validatable = value as? any ContractValidatable {
            let errors = validatable.validate()
            if !errors.isEmpty { throw APIError.invalid(errors) }
        }
        return value
    }

    /// `application/json`, `application/merge-patch+json` and any other `+json` type (media
    /// types are case-insensitive; parameters after `;` do not matter).
    ///
    /// Compares bytes rather than building lower-cased, trimmed strings: it runs on every request.
    public static func isJSON(_ contentType: String) -> Bool {
        var media: [UInt8] = []
        media.reserveCapacity(32)
        for byte in contentType.utf8 {
            if byte == UInt8(ascii: ";") { break }
            if media.isEmpty, byte == 0x20 || byte == 0x09 { continue }
            media.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
        }
        while let last = media.last, last == 0x20 || last == 0x09 { media.removeLast() }
        guard media.starts(with: applicationPrefix) else { return false }
        let subtype = media.dropFirst(applicationPrefix.count)
        return subtype.elementsEqual("json".utf8)
            || (subtype.count > jsonSuffix.count && subtype.suffix(jsonSuffix.count).elementsEqual(jsonSuffix))
    }

    private static let applicationPrefix = Array("application/".utf8)
    private static let jsonSuffix = Array("+json".utf8)

    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try buffer.withUnsafeReadableBytes { try ApexJSON.decode(T.self, from: $0) }
        } catch let error as DecodingError {
            throw APIError.invalid(Self.fieldError(error))
        } catch {
            throw APIError(.invalidRequest, "the body is not valid JSON")
        }
    }

    static func fieldError(_ error: DecodingError) -> [FieldError] {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return [FieldError(field: path(context.codingPath + [key]), message: "is required")]
        case .typeMismatch(let type, let context):
            return [FieldError(field: path(context.codingPath).ifEmpty("body"), message: "must be \(Self.describe(type))")]
        case .valueNotFound(let type, let context):
            return [FieldError(field: path(context.codingPath).ifEmpty("body"), message: "must be \(Self.describe(type)), not null")]
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return [FieldError(field: "body", message: "is not valid JSON")]
            }
            return [FieldError(field: path(context.codingPath), message: context.debugDescription)]
        @unknown default:
            return [FieldError(field: "body", message: "is invalid")]
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: String(describing: type).contains("Dictionary") ? "an object" : "of type \(type)"
        }
    }
}

/// Encodes responses with the contract's JSON conventions (snake_case keys from the types,
/// RFC 3339 dates with milliseconds, explicit nulls).
public struct ApexResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let buffer = ByteBuffer(bytes: try ApexJSON.encodeBytes(value))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer)
        )
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
