// The tensor-core GEMM core shared by gemm.cu (matrices) and conv2d.cu (NHWC implicit GEMM).
//
// One block of 256 threads computes a 128x128 tile of the output from two k-contiguous operands (A as
// rows x depth, B as cols x depth), stepping through depth 64 bytes at a time through a 3-stage cp.async
// pipeline; 8 warps as 2 (rows) x 4 (columns) each compute 64 x 32 with ldmatrix and mma.sync. The byte
// geometry is the same for FP16/BF16 (k16 per instruction) and INT8 (k32): 32 bytes of each row.
//
// Operands are tile policies: load(shared, byte0) queues the copies of the block's 128 rows x 64 bytes
// starting at depth byte byte0, zero-filling rows and bytes outside the operand. Each thread copies the
// 16-byte chunks tile_chunk() gives it, the same ones at every stage, so a policy can work out per-row
// state (an image pixel's coordinates) once. The output policy store(row, col, group, acc) applies the
// epilogue, as in k4j_simt_gemm.cuh.
#pragma once

#include "k4j_epilogue.cuh"
#include "k4j_mma.cuh"

namespace k4j {

constexpr int TC_TILE = 128;
constexpr int TC_THREADS = 256;
constexpr int TC_STAGES = 3;
constexpr int TC_DEPTH_BYTES = 64;
// 16 bytes of padding per shared row: the 8 row addresses of an ldmatrix then fall in distinct banks.
constexpr int TC_PITCH = TC_DEPTH_BYTES + 16;
constexpr int TC_OPERAND_BYTES = TC_TILE * TC_PITCH;
constexpr int TC_STAGE_BYTES = 2 * TC_OPERAND_BYTES;
constexpr int TC_SHARED_BYTES = TC_STAGES * TC_STAGE_BYTES;
static_assert(TC_SHARED_BYTES == 61440, "the Java side (CudaGemmPlan, CudaConvPlan) passes this as dynamic shared memory");
constexpr int TC_CHUNKS_PER_ROW = TC_DEPTH_BYTES / 16;
constexpr int TC_CHUNKS_PER_THREAD = TC_TILE * TC_CHUNKS_PER_ROW / TC_THREADS;
static_assert(TC_CHUNKS_PER_THREAD * TC_THREADS == TC_TILE * TC_CHUNKS_PER_ROW, "threads share a stage's chunks evenly");

// The row and byte (within a stage's 64) of this thread's i-th 16-byte chunk: the byte is the same for
// all of a thread's chunks, the rows are TC_TILE / TC_CHUNKS_PER_THREAD apart.
__device__ __forceinline__ int tile_chunk_row(int i) { return (threadIdx.x + i * TC_THREADS) / TC_CHUNKS_PER_ROW; }
__device__ __forceinline__ int tile_chunk_byte() { return (threadIdx.x % TC_CHUNKS_PER_ROW) * 16; }

// The block's rows of a k-contiguous matrix whose rows are ldBytes apart and 16-byte aligned. Rows past
// rowsLeft and bytes past depthBytes are zero-filled (the source is then the tile's first byte, which
// exists, and none of it is read).
struct MatrixTile {
    const char* tile;
    long long ldBytes;
    long long rowsLeft;
    long long depthBytes;

    __device__ void load(uint32_t shared, long long byte0) const {
        const int byte = tile_chunk_byte();
        const long long bytesLeft = depthBytes - byte0 - byte;
        #pragma unroll
        for (int i = 0; i < TC_CHUNKS_PER_THREAD; i++) {
            const int row = tile_chunk_row(i);
            int bytes = 0;
            if (row < rowsLeft && bytesLeft > 0) {
                bytes = static_cast<int>(min(16LL, bytesLeft));
            }
            const char* source = bytes > 0 ? tile + row * ldBytes + byte0 + byte : tile;
            copy_async(shared + row * TC_PITCH + byte, source, bytes);
        }
    }
};

// rows x cols output tile (blockIdx.x, blockIdx.y) of group blockIdx.z; depthBytes of each operand row.
template <typename Mma, typename ATile, typename BTile, typename Output>
__device__ void tc_gemm(const ATile& a, const BTile& b, const Output& out, long long rows, long long cols,
                        long long depthBytes) {
    extern __shared__ __align__(128) unsigned char shared[];
    const uint32_t base = static_cast<uint32_t>(__cvta_generic_to_shared(shared));
    const long long row0 = static_cast<long long>(blockIdx.x) * TC_TILE;
    const long long col0 = static_cast<long long>(blockIdx.y) * TC_TILE;
    const long long stages = (depthBytes + TC_DEPTH_BYTES - 1) / TC_DEPTH_BYTES;

    #pragma unroll
    for (int s = 0; s < TC_STAGES - 1; s++) {
        if (s < stages) {
            a.load(base + s * TC_STAGE_BYTES, static_cast<long long>(s) * TC_DEPTH_BYTES);
            b.load(base + s * TC_STAGE_BYTES + TC_OPERAND_BYTES, static_cast<long long>(s) * TC_DEPTH_BYTES);
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
        const long long next = step + TC_STAGES - 1;
        if (next < stages) {
            const uint32_t target = base + static_cast<uint32_t>(next % TC_STAGES) * TC_STAGE_BYTES;
            a.load(target, next * TC_DEPTH_BYTES);
            b.load(target + TC_OPERAND_BYTES, next * TC_DEPTH_BYTES);
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
    const int group = blockIdx.z;
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            #pragma unroll
            for (int e = 0; e < 4; e++) {
                const long long row = row0 + warpRow + i * 16 + fragmentRow + (e >= 2 ? 8 : 0);
                const long long col = col0 + warpCol + j * 8 + fragmentCol + (e & 1);
                if (row < rows && col < cols) {
                    out.store(row, col, group, acc[i][j][e]);
                }
            }
        }
    }
}

}  // namespace k4j
