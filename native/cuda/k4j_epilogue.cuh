// Element conversions and the GEMM/convolution epilogue shared by gemm.cu and conv2d.cu.
//
// Accumulators are float for FP32/FP16/BF16 inputs and int32 for INT8 inputs. Integer sums wrap
// modulo 2^32 (computed in unsigned arithmetic, where C++ defines the wrap), as DESIGN.md asks.
// The epilogue follows the reference BLAS: beta == 0 never reads C, so NaN or Inf there vanish.
#pragma once

#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <stdint.h>

namespace k4j {

__device__ __forceinline__ float widen(float v) { return v; }
__device__ __forceinline__ float widen(__half v) { return __half2float(v); }
__device__ __forceinline__ float widen(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ int32_t widen(int8_t v) { return v; }
__device__ __forceinline__ int32_t widen(int32_t v) { return v; }

// acc += a * b. INT8 products fit in int32, so only the sum needs the unsigned wrap.
__device__ __forceinline__ void multiply_add(float& acc, float a, float b) { acc = fmaf(a, b, acc); }
__device__ __forceinline__ void multiply_add(int32_t& acc, int32_t a, int32_t b) {
    acc = static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(a * b));
}

__device__ __forceinline__ float add_bias(float acc, float bias) { return acc + bias; }
__device__ __forceinline__ int32_t add_bias(int32_t acc, int32_t bias) {
    return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(bias));
}

__device__ __forceinline__ void store(float* c, long long i, float v) { c[i] = v; }
__device__ __forceinline__ void store(__half* c, long long i, float v) { c[i] = __float2half_rn(v); }
__device__ __forceinline__ void store(__nv_bfloat16* c, long long i, float v) { c[i] = __float2bfloat16_rn(v); }

// Scaling for floating outputs: alpha·acc + beta·C in FP32, rounded once to the output type.
template <typename TOut>
__device__ __forceinline__ void finish(TOut* c, long long i, float acc, float alpha, float beta) {
    float v = alpha * acc;
    if (beta != 0.0f) {
        v = fmaf(beta, widen(c[i]), v);
    }
    store(c, i, v);
}

// INT8 -> FP32 (the quantized path): the exact wrapped INT32 sum, then scaled in FP32.
__device__ __forceinline__ void finish(float* c, long long i, int32_t acc, float alpha, float beta) {
    finish<float>(c, i, static_cast<float>(acc), alpha, beta);
}

// INT8 -> INT32: alpha and beta are integers (GemmSpec checks that, up to 2^31); everything wraps.
__device__ __forceinline__ void finish(int32_t* c, long long i, int32_t acc, float alpha, float beta) {
    uint32_t v = static_cast<uint32_t>(static_cast<long long>(alpha)) * static_cast<uint32_t>(acc);
    if (beta != 0.0f) {
        v += static_cast<uint32_t>(static_cast<long long>(beta)) * static_cast<uint32_t>(c[i]);
    }
    c[i] = static_cast<int32_t>(v);
}

// C(row, col) = alpha·acc + beta·C on a row-major matrix.
template <typename TOut>
struct MatrixOutput {
    TOut* data;
    long long ld;
    float alpha;
    float beta;

    template <typename TAcc>
    __device__ void store(long long row, long long col, int, TAcc acc) const {
        finish(data, row * ld + col, acc, alpha, beta);
    }
};

}  // namespace k4j
