// The SIMT GEMM core shared by gemm.cu (plain matrices) and conv2d.cu (implicit GEMM over an image).
//
// One block of 256 threads computes a 128x128 tile of C, stepping through k 8 at a time through two
// shared-memory buffers: while the block multiplies one buffer, each thread holds the next k-slice's
// elements in registers and stores them into the other buffer afterwards (one barrier per step).
// Each thread owns an 8x8 block of accumulators, split into four 4x4 quadrants 64 rows/columns apart
// so that its float4 reads of a shared row touch consecutive banks across the warp.
//
// Operands are policies with load(outer, kk, group) that return 0 outside the matrix, so any m, n, k
// (edge tiles), transposes, leading dimensions and the im2col gather share the same loop. The output
// policy store(row, col, group, acc) applies the epilogue.
#pragma once

#include <type_traits>

#include "k4j_epilogue.cuh"

namespace k4j {

constexpr int SIMT_TILE = 128;
constexpr int SIMT_DEPTH = 8;
constexpr int SIMT_THREADS = 256;
constexpr int SIMT_LOADS = SIMT_TILE * SIMT_DEPTH / SIMT_THREADS;
// Four elements of padding keep rows 16-byte aligned and shift consecutive k rows across banks.
constexpr int SIMT_PITCH = SIMT_TILE + 4;

// A stored matrix read as op(X)(outer, kk): outer is m for A and n for B. kContiguous says which
// index is the unit-stride one, which also decides the coalesced order in which threads load a tile.
template <typename TIn, typename TAcc>
struct StridedOperand {
    const TIn* data;
    long long ld;
    bool kContiguous;
    long long groupStride;
    long long outer;
    long long depth;

    __device__ TAcc load(long long o, long long kk, int group) const {
        if (o >= outer || kk >= depth) {
            return TAcc(0);
        }
        const TIn* base = data + group * groupStride;
        return widen(kContiguous ? base[o * ld + kk] : base[kk * ld + o]);
    }

    // Four elements along the unit-stride index from (o, kk): one 16-byte load for FP32 when the four
    // lie inside the matrix at an aligned address, else four guarded loads.
    __device__ void load4(long long o, long long kk, int group, TAcc* out) const {
        if constexpr (std::is_same_v<TIn, float>) {
            const bool inside = kContiguous ? (o < outer && kk + 3 < depth) : (o + 3 < outer && kk < depth);
            if (inside) {
                const TIn* p = data + group * groupStride + (kContiguous ? o * ld + kk : kk * ld + o);
                if ((reinterpret_cast<unsigned long long>(p) & 15) == 0) {
                    float4 v = *reinterpret_cast<const float4*>(p);
                    out[0] = v.x; out[1] = v.y; out[2] = v.z; out[3] = v.w;
                    return;
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            out[i] = kContiguous ? load(o, kk + i, group) : load(o + i, kk, group);
        }
    }

    __device__ bool k_contiguous() const { return kContiguous; }
};

__device__ __forceinline__ void read4(const float* p, float* v) {
    float4 t = *reinterpret_cast<const float4*>(p);
    v[0] = t.x; v[1] = t.y; v[2] = t.z; v[3] = t.w;
}

__device__ __forceinline__ void read4(const int32_t* p, int32_t* v) {
    int4 t = *reinterpret_cast<const int4*>(p);
    v[0] = t.x; v[1] = t.y; v[2] = t.z; v[3] = t.w;
}

// Where this thread's four loads of a SIMT_TILE x SIMT_DEPTH slice start; the four run along the
// operand's unit-stride index, so that they can be one vector load and a warp's loads coalesce.
static_assert(SIMT_LOADS == 4, "each thread loads one run of four elements per slice");
__device__ __forceinline__ void slice_position(bool kContiguous, int& outer, int& kk) {
    if (kContiguous) {
        outer = threadIdx.x / (SIMT_DEPTH / 4);
        kk = (threadIdx.x % (SIMT_DEPTH / 4)) * 4;
    } else {
        outer = (threadIdx.x % (SIMT_TILE / 4)) * 4;
        kk = threadIdx.x / (SIMT_TILE / 4);
    }
}

template <typename TAcc, typename Operand>
__device__ __forceinline__ void fetch_slice(const Operand& op, long long outer0, long long k0, int group, TAcc* regs) {
    int o, kk;
    slice_position(op.k_contiguous(), o, kk);
    op.load4(outer0 + o, k0 + kk, group, regs);
}

template <typename TAcc, typename Operand>
__device__ __forceinline__ void stash_slice(const Operand& op, const TAcc* regs, TAcc (*slice)[SIMT_PITCH]) {
    int o, kk;
    slice_position(op.k_contiguous(), o, kk);
    for (int i = 0; i < 4; i++) {
        if (op.k_contiguous()) {
            slice[kk + i][o] = regs[i];
        } else {
            slice[kk][o + i] = regs[i];
        }
    }
}

// Row (or column) of accumulator i of a thread at position t (0..15) of the 16x16 thread grid.
__device__ __forceinline__ int quadrant_offset(int t, int i) {
    return (i < 4 ? 0 : SIMT_TILE / 2) + t * 4 + (i & 3);
}

// rows x cols output tile per group (blockIdx.z), reduction length depth.
template <typename TAcc, typename AOperand, typename BOperand, typename Output>
__device__ void simt_gemm(const AOperand& a, const BOperand& b, const Output& out, long long rows, long long cols,
                          long long depth) {
    __shared__ __align__(16) TAcc aSlices[2][SIMT_DEPTH][SIMT_PITCH];
    __shared__ __align__(16) TAcc bSlices[2][SIMT_DEPTH][SIMT_PITCH];
    const int group = blockIdx.z;
    const long long row0 = static_cast<long long>(blockIdx.x) * SIMT_TILE;
    const long long col0 = static_cast<long long>(blockIdx.y) * SIMT_TILE;
    const int tx = threadIdx.x % 16;
    const int ty = threadIdx.x / 16;

    TAcc acc[8][8];
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
            acc[i][j] = TAcc(0);
        }
    }

    const long long steps = (depth + SIMT_DEPTH - 1) / SIMT_DEPTH;
    TAcc aNext[SIMT_LOADS];
    TAcc bNext[SIMT_LOADS];
    if (steps > 0) {
        fetch_slice(a, row0, 0, group, aNext);
        fetch_slice(b, col0, 0, group, bNext);
        stash_slice(a, aNext, aSlices[0]);
        stash_slice(b, bNext, bSlices[0]);
        __syncthreads();
    }
    for (long long step = 0; step < steps; step++) {
        const int current = static_cast<int>(step & 1);
        const bool more = step + 1 < steps;
        if (more) {
            fetch_slice(a, row0, (step + 1) * SIMT_DEPTH, group, aNext);
            fetch_slice(b, col0, (step + 1) * SIMT_DEPTH, group, bNext);
        }
        for (int kk = 0; kk < SIMT_DEPTH; kk++) {
            TAcc av[8];
            TAcc bv[8];
            read4(&aSlices[current][kk][ty * 4], av);
            read4(&aSlices[current][kk][SIMT_TILE / 2 + ty * 4], av + 4);
            read4(&bSlices[current][kk][tx * 4], bv);
            read4(&bSlices[current][kk][SIMT_TILE / 2 + tx * 4], bv + 4);
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    multiply_add(acc[i][j], av[i], bv[j]);
                }
            }
        }
        if (more) {
            stash_slice(a, aNext, aSlices[current ^ 1]);
            stash_slice(b, bNext, bSlices[current ^ 1]);
        }
        __syncthreads();
    }

    for (int i = 0; i < 8; i++) {
        long long row = row0 + quadrant_offset(ty, i);
        for (int j = 0; j < 8; j++) {
            long long col = col0 + quadrant_offset(tx, j);
            if (row < rows && col < cols) {
                out.store(row, col, group, acc[i][j]);
            }
        }
    }
}

}  // namespace k4j
