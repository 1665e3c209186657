// The sm_80+ PTX instructions the tensor-core kernels are made of (gemm.cu and conv2d.cu through
// k4j_tc_gemm.cuh): mma.sync for each input type, ldmatrix, and cp.async with zero fill.
#pragma once

#include <stdint.h>

namespace k4j {

// d += a·b for one 16x8 tile; the three variants differ only in their shape and type suffixes and in
// the accumulator's register class, so one macro spells the instruction for all of them.
#define K4J_MMA_SYNC(shape_and_types, acc_class, d, a, b)                                                         \
    asm volatile("mma.sync.aligned." shape_and_types " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"    \
                 : "+" acc_class(d[0]), "+" acc_class(d[1]), "+" acc_class(d[2]), "+" acc_class(d[3])             \
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]))

// Every variant reads 32 bytes of each row per instruction: k16 for 2-byte inputs, k32 for INT8.
struct MmaFp16 {
    typedef float Acc;
    static constexpr int ELEMENT_BYTES = 2;
    __device__ static void run(float* d, const uint32_t* a, const uint32_t* b) {
        K4J_MMA_SYNC("m16n8k16.row.col.f32.f16.f16.f32", "f", d, a, b);
    }
};

struct MmaBf16 {
    typedef float Acc;
    static constexpr int ELEMENT_BYTES = 2;
    __device__ static void run(float* d, const uint32_t* a, const uint32_t* b) {
        K4J_MMA_SYNC("m16n8k16.row.col.f32.bf16.bf16.f32", "f", d, a, b);
    }
};

// Without .satfinite the s32 accumulation wraps, as INT8 GEMM must.
struct MmaInt8 {
    typedef int32_t Acc;
    static constexpr int ELEMENT_BYTES = 1;
    __device__ static void run(int32_t* d, const uint32_t* a, const uint32_t* b) {
        K4J_MMA_SYNC("m16n8k32.row.col.s32.s8.s8.s32", "r", d, a, b);
    }
};

#undef K4J_MMA_SYNC

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

}  // namespace k4j
