import Foundation

/// What the linked BLAS achieves on its own, for benchmarks to compare the encoder against.
public enum BLASProbe {
    /// OpenBLAS's build and kernel description.
    public static var configuration: String { BLAS.configuration }

    /// GFLOP/s of one `size`×`size`×`size` single-precision product, best of repeated runs over
    /// about `seconds`, with OpenBLAS's own threading set to `threads` (restored afterwards).
    public static func squareSGEMM(size: Int = 2048, threads: Int, seconds: Double = 2) -> Double {
        squareSGEMMMeasured(size: size, threads: threads, seconds: seconds).bestWallClock
    }

    /// Like `squareSGEMM`, also returning the GFLOP per CPU-second this process spent
    /// (`perCPUSecond`), which other load on the machine does not distort.
    public static func squareSGEMMMeasured(
        size: Int = 2048, threads: Int, seconds: Double = 2
    ) -> (bestWallClock: Double, perCPUSecond: Double) {
        let previous = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previous) }
        let a = Matrix(rows: size, columns: size)
        let b = Matrix(rows: size, columns: size)
        let c = Matrix(rows: size, columns: size)
        for index in 0..<size * size {
            a.pointer[index] = Float(index % 7) * 0.1
            b.pointer[index] = Float(index % 5) * 0.1
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        var best = 0.0
        var runs = 0.0
        let start = Date()
        let cpuStart = processCPUSeconds()
        repeat {
            runs += 1
            let begin = DispatchTime.now().uptimeNanoseconds
            BLAS.gemm(
                transposeB: false, m: size, n: size, k: size, a: a.pointer, lda: size,
                b: b.pointer, ldb: size, c: c.pointer, ldc: size)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
            best = max(best, flops / elapsed / 1e9)
        } while Date().timeIntervalSince(start) < seconds
        let cpu = processCPUSeconds() - cpuStart
        return (best, cpu > 0 ? runs * flops / cpu / 1e9 : 0)
    }

    /// CPU time (user + system) this process has used so far, in seconds.
    public static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
