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

namespace k4j {

// Byte geometry shared by FP16/BF16 (k step 16 elements) and INT8 (k step 32 elements): a k step is
// 32 bytes of each row, a stage holds two of them.
constexpr int TC_TILE = 128;
constexpr int TC_THREADS = 256;
constexpr int TC_STAGES = 3;
constexpr int TC_DEPTH_BYTES = 64;
// 16 bytes of padding per shared row: the 8 row addresses of an ldmatrix then fall in distinct banks.
constexpr int TC_PITCH = TC_DEPTH_BYTES + 16;
constexpr int TC_OPERAND_BYTES = TC_TILE * TC_PITCH;
constexpr int TC_STAGE_BYTES = 2 * TC_OPERAND_BYTES;
constexpr int TC_SHARED_BYTES = TC_STAGES * TC_STAGE_BYTES;
static_assert(TC_SHARED_BYTES == 61440, "the Java side (CudaGemmPlan) passes this as dynamic shared memory");

struct MmaFp16 {
    typedef float Acc;
    static constexpr int ELEMENT_BYTES = 2;
    __device__ static void run(float* d, const uint32_t* a, const uint32_t* b) {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    }
};

struct MmaBf16 {
    typedef float Acc;
    static constexpr int ELEMENT_BYTES = 2;
    __device__ static void run(float* d, const uint32_t* a, const uint32_t* b) {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    }
};

// Without .satfinite the s32 accumulation wraps, as INT8 GEMM must.
struct MmaInt8 {
    typedef int32_t Acc;
    static constexpr int ELEMENT_BYTES = 1;
    __device__ static void run(int32_t* d, const uint32_t* a, const uint32_t* b) {
        asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    }
};

// Copies 16 bytes, of which the first sourceBytes come from global memory and the rest are zeros.
__device__ __forceinline__ void copy_async(uint32_t shared, const void* global, int sourceBytes) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(shared), "l"(global), "r"(sourceBytes)
                 : "memory");
}

__device__ __forceinline__ void commit_copies() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

template <int PENDING>
__device__ __forceinline__ void wait_copies() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(PENDING) : "memory");
}

__device__ __forceinline__ void load_matrices(uint32_t* r, uint32_t shared) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(shared));
}

// One 128-row x 64-byte slice of a k-contiguous operand into shared memory: 512 chunks of 16 bytes,
// two per thread. Rows past the matrix and bytes past k are zero-filled (the source is then the
// tile's first element, which exists, and no byte of it is read).
__device__ __forceinline__ void load_stage(uint32_t shared, const char* tile, long long ldBytes, long long rowsLeft,
                                           long long bytesLeft) {
    for (int chunk = threadIdx.x; chunk < TC_TILE * TC_DEPTH_BYTES / 16; chunk += TC_THREADS) {
        int row = chunk / (TC_DEPTH_BYTES / 16);
        int byte = (chunk % (TC_DEPTH_BYTES / 16)) * 16;
        int bytes = 0;
        if (row < rowsLeft && byte < bytesLeft) {
            bytes = static_cast<int>(min(16LL, bytesLeft - byte));
        }
        const char* source = bytes > 0 ? tile + row * ldBytes + byte : tile;
        copy_async(shared + row * TC_PITCH + byte, source, bytes);
    }
}

// A is m x k with rows ldaBytes apart, B is n x k with rows ldbBytes apart; both 16-byte aligned.
template <typename Mma, typename TOut>
__device__ void tc_gemm(const char* a, long long ldaBytes, const char* b, long long ldbBytes, TOut* c, long long ldc,
                        long long m, long long n, long long k, float alpha, float beta) {
    extern __shared__ __align__(128) unsigned char shared[];
    const uint32_t base = static_cast<uint32_t>(__cvta_generic_to_shared(shared));
    const long long row0 = static_cast<long long>(blockIdx.x) * TC_TILE;
    const long long col0 = static_cast<long long>(blockIdx.y) * TC_TILE;
    const char* aTile = a + row0 * ldaBytes;
    const char* bTile = b + col0 * ldbBytes;
    const long long depthBytes = k * Mma::ELEMENT_BYTES;
    const long long stages = (depthBytes + TC_DEPTH_BYTES - 1) / TC_DEPTH_BYTES;

    #pragma unroll

    for (int s = 0; s < TC_STAGES - 1; s++) {
        if (s < stages) {
            long long byte0 = static_cast<long long>(s) * TC_DEPTH_BYTES;
            load_stage(base + s * TC_STAGE_BYTES, aTile + byte0, ldaBytes, m - row0, depthBytes - byte0);
            load_stage(base + s * TC_STAGE_BYTES + TC_OPERAND_BYTES, bTile + byte0, ldbBytes, n - col0,
                       depthBytes - byte0);
        }
        commit_copies();
    }

    // 8 warps as 2 (rows) x 4 (columns); each warp computes 64 x 32 as 4 x 4 mma tiles of 16 x 8.
    const int lane = threadIdx.x % 32;
    const int warp = threadIdx.x / 32;
    const int warpRow = (warp / 4) * 64;
    const int warpCol = (warp % 4) * 32;
    typename Mma::Acc acc[4][4][4];
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            #pragma unroll
            for (int e = 0; e < 4; e++) {
                acc[i][j][e] = 0;
            }
        }
    }

    // ldmatrix.x4 takes one row address per lane; lane / 8 picks the 8x8 matrix. For A the matrices
    // are (rows 0-7, bytes 0-15), (rows 8-15, bytes 0-15), (rows 0-7, bytes 16-31), (rows 8-15,
    // bytes 16-31): the a0..a3 registers of mma.sync. For B they are (cols 0-7, bytes 0-15),
    // (cols 0-7, bytes 16-31), (cols 8-15, bytes 0-15), (cols 8-15, bytes 16-31): b0, b1 of two n tiles.
    const int aLaneRow = (lane & 7) + ((lane >> 3) & 1) * 8;
    const int aLaneByte = (lane >> 4) * 16;
    const int bLaneCol = (lane & 7) + (lane >> 4) * 8;
    const int bLaneByte = ((lane >> 3) & 1) * 16;

    for (long long step = 0; step < stages; step++) {
        wait_copies<TC_STAGES - 2>();
        __syncthreads();
        // Refill the stage every warp finished reading in the previous step (the barrier above).
        long long next = step + TC_STAGES - 1;
        if (next < stages) {
            uint32_t target = base + static_cast<uint32_t>(next % TC_STAGES) * TC_STAGE_BYTES;
            long long byte0 = next * TC_DEPTH_BYTES;
            load_stage(target, aTile + byte0, ldaBytes, m - row0, depthBytes - byte0);
            load_stage(target + TC_OPERAND_BYTES, bTile + byte0, ldbBytes, n - col0, depthBytes - byte0);
        }
        commit_copies();

        const uint32_t aStage = base + static_cast<uint32_t>(step % TC_STAGES) * TC_STAGE_BYTES;
        const uint32_t bStage = aStage + TC_OPERAND_BYTES;
        #pragma unroll
        for (int kByte = 0; kByte < TC_DEPTH_BYTES; kByte += 32) {
            uint32_t aFragments[4][4];
            uint32_t bFragments[4][2];
            #pragma unroll
            for (int i = 0; i < 4; i++) {
                load_matrices(aFragments[i], aStage + (warpRow + i * 16 + aLaneRow) * TC_PITCH + kByte + aLaneByte);
            }
            #pragma unroll
            for (int pair = 0; pair < 2; pair++) {
                uint32_t r[4];
                load_matrices(r, bStage + (warpCol + pair * 16 + bLaneCol) * TC_PITCH + kByte + bLaneByte);
                bFragments[2 * pair][0] = r[0];
                bFragments[2 * pair][1] = r[1];
                bFragments[2 * pair + 1][0] = r[2];
                bFragments[2 * pair + 1][1] = r[3];
            }
            #pragma unroll
            for (int i = 0; i < 4; i++) {
                #pragma unroll
                for (int j = 0; j < 4; j++) {
                    Mma::run(acc[i][j], aFragments[i], bFragments[j]);
                }
            }
        }
    }
    wait_copies<0>();

    // Accumulator e of an mma tile sits at row lane/4 (+8 for e >= 2), column 2·(lane%4) + e%2.
    const int fragmentRow = lane / 4;
    const int fragmentCol = 2 * (lane % 4);
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            #pragma unroll
            for (int e = 0; e < 4; e++) {
                long long row = row0 + warpRow + i * 16 + fragmentRow + (e >= 2 ? 8 : 0);
                long long col = col0 + warpCol + j * 8 + fragmentCol + (e & 1);
                if (row < m && col < n) {
                    finish(c, row * ldc + col, acc[i][j][e], alpha, beta);
                }
            }
        }
    }
}

template <typename T>
__device__ void transpose(const T* src, long long lds, T* dst, long long ldd, long long rows, long long cols) {
    __shared__ T tile[32][33];
    const long long tilesAcross = (cols + 31) / 32;
    const long long srcRow0 = (static_cast<long long>(blockIdx.x) / tilesAcross) * 32;
    const long long srcCol0 = (static_cast<long long>(blockIdx.x) % tilesAcross) * 32;
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        long long row = srcRow0 + j;
        long long col = srcCol0 + threadIdx.x;
        if (row < rows && col < cols) {
            tile[j][threadIdx.x] = src[row * lds + col];
        }
    }
    __syncthreads();
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        long long row = srcCol0 + j;
        long long col = srcRow0 + threadIdx.x;
        if (row < cols && col < rows) {
            dst[row * ldd + col] = tile[threadIdx.x][j];
        }
    }
}

}  // namespace k4j

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
        k4j::tc_gemm<Mma, TOut>(static_cast<const char*>(a), lda * Mma::ELEMENT_BYTES,                             \
                                static_cast<const char*>(b), ldb * Mma::ELEMENT_BYTES, c, ldc, m, n, k, alpha,     \
                                beta);                                                                             \
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
