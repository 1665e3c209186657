// Elementwise reductions of two buffers, out[i] = a[i] (op) b[i], the building block of the
// collectives (ring all-reduce, reduce-scatter). `out` may alias `a` or `b`.
//
// Semantics match the CPU backends (and NCCL for the integer wrap):
//  - fp16 and bf16 are widened to fp32, combined, and rounded once to nearest-even;
//  - int8 and int32 wrap modulo 2^8 and 2^32 (computed in unsigned arithmetic, where C++
//    defines the wrap);
//  - max and min follow Java's Math.max/min: NaN when either input is NaN, and -0 < +0;
//  - a NaN result is stored as the canonical quiet NaN of its dtype (fp32 0x7fc00000, fp16 0x7e00, bf16
//    0x7fc0), whatever the inputs' payloads, as org.kernels4j.comm.ScalarReducer stores it: a op b and
//    b op a then have the same bits, and ranks that reduce on different backends agree bitwise.
//
// Kernel names are k4j_reduce_<op>_<dtype>; the Java side lists them in
// org.kernels4j.gpu.ElementwiseReduce, and a test checks the fatbin against that list.
// Launch with any 1-D grid: each thread walks the buffer with a grid-sized stride.

#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <stdint.h>

namespace {

struct Sum {
    __device__ static float apply(float a, float b) { return a + b; }
    __device__ static uint32_t apply(uint32_t a, uint32_t b) { return a + b; }
};

struct Prod {
    __device__ static float apply(float a, float b) { return a * b; }
    __device__ static uint32_t apply(uint32_t a, uint32_t b) { return a * b; }
};

struct Max {
    __device__ static float apply(float a, float b) {
        if (isnan(a) || isnan(b)) {
            return a + b;
        }
        if (a == b) {
            return signbit(a) ? b : a;
        }
        return a > b ? a : b;
    }
    __device__ static int32_t apply(int32_t a, int32_t b) { return a > b ? a : b; }
};

struct Min {
    __device__ static float apply(float a, float b) {
        if (isnan(a) || isnan(b)) {
            return a + b;
        }
        if (a == b) {
            return signbit(a) ? a : b;
        }
        return a < b ? a : b;
    }
    __device__ static int32_t apply(int32_t a, int32_t b) { return a < b ? a : b; }
};

// Integer operands for each op: sum and prod wrap, so they run on unsigned values;
// max and min compare, so they run on signed values.
template <typename Op> struct IntegerOperand { typedef int32_t type; };
template <> struct IntegerOperand<Sum> { typedef uint32_t type; };
template <> struct IntegerOperand<Prod> { typedef uint32_t type; };

// The conversions' NaN bits are the implementation's choice (and keep payloads), so NaNs are written directly.
template <typename Op> __device__ float combine(float a, float b) {
    const float v = Op::apply(a, b);
    return isnan(v) ? __int_as_float(0x7fc00000) : v;
}

template <typename Op> __device__ __half combine(__half a, __half b) {
    const float v = Op::apply(__half2float(a), __half2float(b));
    return isnan(v) ? __ushort_as_half(0x7e00) : __float2half_rn(v);
}

template <typename Op> __device__ __nv_bfloat16 combine(__nv_bfloat16 a, __nv_bfloat16 b) {
    const float v = Op::apply(__bfloat162float(a), __bfloat162float(b));
    return isnan(v) ? __ushort_as_bfloat16(0x7fc0) : __float2bfloat16_rn(v);
}

template <typename Op> __device__ int32_t combine(int32_t a, int32_t b) {
    typedef typename IntegerOperand<Op>::type Operand;
    return static_cast<int32_t>(Op::apply(static_cast<Operand>(a), static_cast<Operand>(b)));
}

template <typename Op> __device__ int8_t combine(int8_t a, int8_t b) {
    // The int32 result keeps the low 8 bits: truncating through uint8_t is the wrap modulo 2^8.
    return static_cast<int8_t>(static_cast<uint8_t>(combine<Op>(static_cast<int32_t>(a), static_cast<int32_t>(b))));
}

template <typename Op, typename T>
__device__ void reduce(const T* a, const T* b, T* out, long long n) {
    long long stride = static_cast<long long>(blockDim.x) * gridDim.x;
    for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
        out[i] = combine<Op>(a[i], b[i]);
    }
}

}  // namespace

// No __restrict__: out may alias a or b.
#define K4J_REDUCE_KERNEL(op_name, Op, dtype_name, T)                                                     \
    extern "C" __global__ void k4j_reduce_##op_name##_##dtype_name(const T* a, const T* b, T* out,        \
                                                                   long long n) {                         \
        reduce<Op, T>(a, b, out, n);                                                                       \
    }

#define K4J_REDUCE_KERNELS_FOR_OP(op_name, Op)                \
    K4J_REDUCE_KERNEL(op_name, Op, fp32, float)               \
    K4J_REDUCE_KERNEL(op_name, Op, fp16, __half)              \
    K4J_REDUCE_KERNEL(op_name, Op, bf16, __nv_bfloat16)       \
    K4J_REDUCE_KERNEL(op_name, Op, int8, int8_t)              \
    K4J_REDUCE_KERNEL(op_name, Op, int32, int32_t)

K4J_REDUCE_KERNELS_FOR_OP(sum, Sum)
K4J_REDUCE_KERNELS_FOR_OP(prod, Prod)
K4J_REDUCE_KERNELS_FOR_OP(max, Max)
K4J_REDUCE_KERNELS_FOR_OP(min, Min)
