public import Foundation

/// Unpadded base64url (RFC 4648 §5), as JWTs use it.
///
/// Written over bytes because it is on every internal call's path (each call mints a token, each
/// request verifies one): going through Foundation's base64 and three `replacingOccurrences`
/// cost about a tenth of a request's CPU. Decoding accepts only the base64url alphabet, without
/// padding; like Foundation's decoder it does not check the unused bits of a final quantum.
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        let count = data.count
        let encodedCount = count / 3 * 4 + [0, 2, 3][count % 3]
        return data.withUnsafeBytes { input in
            String(unsafeUninitializedCapacity: encodedCount) { output in
                var read = 0
                var written = 0
                func emit(_ quantum: UInt32, characters: Int) {
                    for index in 0..<characters {
                        output[written + index] = alphabet[Int(quantum >> (18 - 6 * UInt32(index)) & 63)]
                    }
                    written += characters
                }
                while read + 3 <= count {
                    emit(UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2]), characters: 4)
                    read += 3
                }
                switch count - read {
                case 1: emit(UInt32(input[read]) << 16, characters: 2)
                case 2: emit(UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8, characters: 3)
                default: break
                }
                return written
            }
        }
    }

    public static func decode(_ text: some StringProtocol) -> Data? {
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode(bytes: $0) }) { return decoded }
        return Array(text.utf8).withUnsafeBufferPointer { decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>) -> Data? {
        let count = bytes.count
        let remainder = count % 4
        guard remainder != 1 else { return nil }
        var data = Data(count: count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1))
        let valid = data.withUnsafeMutableBytes { (output: UnsafeMutableRawBufferPointer) -> Bool in
            var written = 0
            var index = 0
            while index < count {
                let characters = min(4, count - index)
                var quantum: UInt32 = 0
                for offset in 0..<4 {
                    var value: UInt8 = 0
                    if offset < characters {
                        value = values[Int(bytes[index + offset])]
                        if value == invalid { return false }
                    }
                    quantum = quantum << 6 | UInt32(value)
                }
                for offset in 0..<(characters - 1) {
                    output[written + offset] = UInt8(truncatingIfNeeded: quantum >> (16 - 8 * UInt32(offset)))
                }
                written += characters - 1
                index += 4
            }
            return true
        }
        return valid ? data : nil
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let invalid: UInt8 = 0xFF
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()
}
