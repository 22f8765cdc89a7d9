import Foundation

/// What the linked BLAS achieves on its own, for benchmarks to compare the encoder against.
public enum BLASProbe {
    /// OpenBLAS's build and kernel description.
    public static var configuration: String { BLAS.configuration }

    /// GFLOP/s of one `size`×`size`×`size` single-precision product, best of repeated runs over
    /// about `seconds`, with OpenBLAS's own threading set to `threads` (restored afterwards).
    public static func squareSGEMM(size: Int = 2048, threads: Int, seconds: Double = 2) -> Double {
        let previous = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previous) }
        let a = Matrix(rows: size, columns: size)
        let b = Matrix(rows: size, columns: size)
        let c = Matrix(rows: size, columns: size)
        for index in 0 ..< size * size {
            a.pointer[index] = Float(index % 7) * 0.1
            b.pointer[index] = Float(index % 5) * 0.1
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        var best = 0.0
        let start = Date()
        repeat {
            let begin = DispatchTime.now().uptimeNanoseconds
            BLAS.gemm(transposeB: false, m: size, n: size, k: size, a: a.pointer, lda: size,
                      b: b.pointer, ldb: size, c: c.pointer, ldc: size)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
            best = max(best, flops / elapsed / 1e9)
        } while Date().timeIntervalSince(start) < seconds
        return best
    }
}
