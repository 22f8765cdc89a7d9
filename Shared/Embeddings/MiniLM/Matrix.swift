/// A row-major `Float` matrix in 64-byte-aligned memory with a stable address, for weights and
/// work buffers handed to BLAS. Weights are written once while loading and only read after that,
/// which is what makes sharing them across threads sound.
final class Matrix: @unchecked Sendable {
    let rows: Int
    let columns: Int
    let pointer: UnsafeMutablePointer<Float>

    var count: Int { rows * columns }

    /// A zero-filled matrix, or one with unspecified contents (work buffers every entry of
    /// which is written before it is read).
    init(rows: Int, columns: Int, zeroed: Bool = true) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        let capacity = max(1, rows * columns)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: capacity)
        if zeroed {
            pointer.initialize(repeating: 0, count: capacity)
        }
    }

    /// A matrix holding `values` (row-major, `rows * columns` of them).
    convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values for a \(rows)×\(columns) matrix")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    /// A matrix made of `parts` stacked vertically (all with the same number of columns).
    convenience init(stacking parts: [[Float]], columns: Int) {
        let total = parts.reduce(0) { $0 + $1.count }
        precondition(total % max(columns, 1) == 0)
        self.init(rows: total / max(columns, 1), columns: columns)
        var offset = 0
        for part in parts {
            part.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { (pointer + offset).update(from: base, count: part.count) }
            }
            offset += part.count
        }
    }

    deinit {
        pointer.deallocate()
    }

    @inline(__always)
    func row(_ index: Int) -> UnsafeMutablePointer<Float> {
        pointer + index * columns
    }

    var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
