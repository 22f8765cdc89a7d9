import Foundation

/// A parsed `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping
/// tensor names to `{dtype, shape, data_offsets}`, then the raw little-endian tensor bytes.
///
/// Parsing validates the whole header (offsets inside the file, byte counts matching shapes and
/// dtypes), so a truncated or damaged file is reported at load time, not at first use.
struct SafeTensorsFile {
    /// Why a file cannot be read as safetensors.
    struct FormatError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct TensorInfo: Equatable {
        let dtype: String
        let shape: [Int]
        /// Byte range inside the file's data section.
        let byteRange: Range<Int>
        var elementCount: Int { shape.reduce(1, *) }
    }

    static let bytesPerElement: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
    ]

    let tensors: [String: TensorInfo]
    let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url, options: .mappedIfSafe))
    }

    init(data: Data) throws {
        self.data = data
        guard data.count >= 8 else {
            throw FormatError("file is \(data.count) bytes, shorter than the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for (shift, byte) in data.prefix(8).enumerated() {
            headerLength |= UInt64(byte) << (8 * UInt64(shift))
        }
        guard headerLength >= 2, headerLength <= UInt64(data.count - 8), headerLength < 100_000_000 else {
            throw FormatError("header length \(headerLength) does not fit a file of \(data.count) bytes")
        }
        dataStart = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + dataStart)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw FormatError("header is not a JSON object")
        }
        let dataLength = data.count - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                if let entries = value as? [String: Any] {
                    for (key, entry) in entries { metadata[key] = entry as? String }
                }
                continue
            }
            guard let entry = value as? [String: Any],
                let dtype = entry["dtype"] as? String,
                let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                offsets.count == 2, shape.count == (entry["shape"] as? [Any])?.count
            else {
                throw FormatError("header entry \(name) lacks dtype, shape or data_offsets")
            }
            guard let width = Self.bytesPerElement[dtype] else {
                throw FormatError("tensor \(name) has unknown dtype \(dtype)")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1],
                offsets[1] <= dataLength
            else {
                throw FormatError("tensor \(name) has data_offsets \(offsets) outside the \(dataLength)-byte data section")
            }
            let info = TensorInfo(dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
            guard info.elementCount * width == offsets[1] - offsets[0] else {
                throw FormatError(
                    "tensor \(name) holds \(offsets[1] - offsets[0]) bytes, but \(dtype) \(shape) needs \(info.elementCount * width)")
            }
            tensors[name] = info
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor's values converted to `Float` (F32, F16 and BF16 tensors), row-major.
    /// Throws when the tensor is absent or, if `shape` is given, has another shape.
    func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let info = tensors[name] else {
            throw FormatError("tensor \(name) is missing")
        }
        if let expected, expected != info.shape {
            throw FormatError("tensor \(name) has shape \(info.shape), expected \(expected)")
        }
        let count = info.elementCount
        let start = data.startIndex + dataStart + info.byteRange.lowerBound
        let bytes = data[start..<start + info.byteRange.count]
        var result = [Float](repeating: 0, count: count)
        switch info.dtype {
        case "F32":
            result.withUnsafeMutableBytes { destination in
                _ = bytes.copyBytes(to: destination)
            }
            #if _endian(big)
            for index in result.indices { result[index] = Float(bitPattern: result[index].bitPattern.byteSwapped) }
            #endif
        case "F16", "BF16":
            let isBF16 = info.dtype == "BF16"
            bytes.withUnsafeBytes { raw in
                for index in 0..<count {
                    let bits = UInt16(raw[2 * index]) | UInt16(raw[2 * index + 1]) << 8
                    result[index] = isBF16 ? Float(bitPattern: UInt32(bits) << 16) : Self.halfToFloat(bits)
                }
            }
        default:
            throw FormatError("tensor \(name) has dtype \(info.dtype), expected a floating-point type")
        }
        return result
    }

    /// IEEE 754 binary16 to binary32 (exact; Float16 is not available on every platform).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
