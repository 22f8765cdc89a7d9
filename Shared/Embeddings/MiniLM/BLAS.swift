import COpenBLAS

/// The BLAS calls the encoder makes (OpenBLAS through its CBLAS interface).
enum BLAS {
    /// Sets OpenBLAS's own thread count (process-wide). The encoder parallelises with its own
    /// bounded `WorkerPool` and keeps OpenBLAS single-threaded: OpenBLAS's threads spin while
    /// idle and split small products badly.
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build and kernel description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake".
    static var configuration: String {
        guard let text = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: text)
    }

    /// C[m×n] = alpha · A[m×k] · op(B) + beta · C, all row-major; op(B) = Bᵀ (B is n×k) when
    /// `transposeB`, else B (k×n).
    @inline(__always)
    static func gemm(
        transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)
        )
    }
}
