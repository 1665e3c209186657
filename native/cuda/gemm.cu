// GEMM, C = alpha·op(A)·op(B) + beta·C on row-major matrices with leading dimensions (DESIGN.md's rules;
// the host handles m = 0, n = 0 and calls with k = 0 for alpha = 0, so A and B are then never read).
//
// Kernels (the Java side names them in org.kernels4j.gpu.cuda.CudaKernelNames):
//  - k4j_gemm_simt_<in>_<out>: the SIMT core of k4j_simt_gemm.cuh for every dtype pair; any transposes,
//    leading dimensions and sizes. Grid (ceil(m/128), ceil(n/128)), 256 threads.
//  - k4j_gemm_tc_<in>_<out>: FP16/BF16 (m16n8k16, FP32 accumulate) and INT8 (m16n8k32, INT32 accumulate)
//    on tensor cores with mma.sync, ldmatrix and a 3-stage cp.async pipeline. Needs both operands
//    k-contiguous ("A row-major m x k, B stored n x k") with 16-byte aligned rows; the host repacks an
//    operand that is not (k4j_transpose_b8/b16 or a 2-D copy). Any m, n, k: cp.async zero-fills the
//    bytes past the matrix. Grid (ceil(m/128), ceil(n/128)), 256 threads, TC_SHARED_BYTES of dynamic
//    shared memory (above the 48 KiB default, so the host raises the function's limit).
//  - k4j_transpose_b8/b16: dst (cols x rows) = transpose of src (rows x cols), one 32x32 tile per block.

#include "k4j_simt_gemm.cuh"
#include "k4j_tc_gemm.cuh"
#include "k4j_transpose.cuh"

#define K4J_GEMM_SIMT(name, TIn, TAcc, TOut)                                                                    \
    extern "C" __global__ void __launch_bounds__(k4j::SIMT_THREADS)                                              \
        k4j_gemm_simt_##name(const TIn* a, long long lda, int transA, const TIn* b, long long ldb, int transB,  \
                             TOut* c, long long ldc, long long m, long long n, long long k, float alpha,        \
                             float beta) {                                                                       \
        k4j::StridedOperand<TIn, TAcc> aOperand{a, lda, transA == 0, 0, m, k};                                  \
        k4j::StridedOperand<TIn, TAcc> bOperand{b, ldb, transB != 0, 0, n, k};                                  \
        k4j::MatrixOutput<TOut> output{c, ldc, alpha, beta};                                                     \
        k4j::simt_gemm<TAcc>(aOperand, bOperand, output, m, n, k);                                              \
    }

K4J_GEMM_SIMT(fp32_fp32, float, float, float)
K4J_GEMM_SIMT(fp16_fp32, __half, float, float)
K4J_GEMM_SIMT(fp16_fp16, __half, float, __half)
K4J_GEMM_SIMT(bf16_fp32, __nv_bfloat16, float, float)
K4J_GEMM_SIMT(bf16_bf16, __nv_bfloat16, float, __nv_bfloat16)
K4J_GEMM_SIMT(int8_int32, int8_t, int32_t, int32_t)
K4J_GEMM_SIMT(int8_fp32, int8_t, int32_t, float)

#define K4J_GEMM_TC(name, Mma, TOut)                                                                              \
    extern "C" __global__ void __launch_bounds__(k4j::TC_THREADS)                                                  \
        k4j_gemm_tc_##name(const void* a, long long lda, const void* b, long long ldb, TOut* c, long long ldc,    \
                           long long m, long long n, long long k, float alpha, float beta) {                       \
        const long long depthBytes = k * Mma::ELEMENT_BYTES;                                                       \
        const long long row0 = static_cast<long long>(blockIdx.x) * k4j::TC_TILE;                                 \
        const long long col0 = static_cast<long long>(blockIdx.y) * k4j::TC_TILE;                                 \
        k4j::MatrixTile aTile{static_cast<const char*>(a) + row0 * lda * Mma::ELEMENT_BYTES,                       \
                              lda * Mma::ELEMENT_BYTES, m - row0, depthBytes};                                     \
        k4j::MatrixTile bTile{static_cast<const char*>(b) + col0 * ldb * Mma::ELEMENT_BYTES,                       \
                              ldb * Mma::ELEMENT_BYTES, n - col0, depthBytes};                                     \
        k4j::MatrixOutput<TOut> output{c, ldc, alpha, beta};                                                       \
        k4j::tc_gemm<Mma>(aTile, bTile, output, m, n, depthBytes);                                                 \
    }

K4J_GEMM_TC(fp16_fp32, k4j::MmaFp16, float)
K4J_GEMM_TC(fp16_fp16, k4j::MmaFp16, __half)
K4J_GEMM_TC(bf16_fp32, k4j::MmaBf16, float)
K4J_GEMM_TC(bf16_bf16, k4j::MmaBf16, __nv_bfloat16)
K4J_GEMM_TC(int8_int32, k4j::MmaInt8, int32_t)
K4J_GEMM_TC(int8_fp32, k4j::MmaInt8, float)

extern "C" __global__ void k4j_transpose_b8(const uint8_t* src, long long lds, uint8_t* dst, long long ldd,
                                            long long rows, long long cols) {
    k4j::transpose(src, lds, dst, ldd, rows, cols);
}

extern "C" __global__ void k4j_transpose_b16(const uint16_t* src, long long lds, uint16_t* dst, long long ldd,
                                             long long rows, long long cols) {
    k4j::transpose(src, lds, dst, ldd, rows, cols);
}
