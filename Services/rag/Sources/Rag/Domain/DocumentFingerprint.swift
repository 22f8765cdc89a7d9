import Crypto
import Foundation

/// The identity of a document's content: the lowercase hex SHA-256 of the text exactly as the
/// client sent it (its UTF-8 bytes, nothing normalised).
///
/// Ingest deduplicates on it (`documents UNIQUE(user_id, file_hash)`), and the API returns it as
/// `file_hash`, so it must never depend on how the text is later cleaned, extracted or chunked:
/// two uploads differing only in Unicode normalisation are two documents.
public struct DocumentFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// 64 lowercase hexadecimal digits.
    public let hex: String

    public init(content: String) {
        let digest = SHA256.hash(data: Data(content.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        hex = String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { hex }
}
