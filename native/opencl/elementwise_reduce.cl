// Elementwise reductions of two buffers, out[i] = a[i] (op) b[i], the building block of the
// collectives. `out` may alias `a` or `b`. Same kernels and names as
// native/cuda/elementwise_reduce.cu, with these semantics:
//  - fp16 and bf16 are widened to fp32, combined, and rounded once to nearest-even; fp16 goes
//    through vload_half/vstore_half_rte, so no cl_khr_fp16 is needed, and bf16 travels as ushort;
//  - int8 and int32 wrap modulo 2^8 and 2^32 (computed in unsigned arithmetic, where C defines
//    the wrap, then reinterpreted);
//  - max and min follow Java's Math.max/min: NaN when either input is NaN, and -0 < +0;
//  - a NaN result is stored as the canonical quiet NaN of its dtype (fp32 0x7fc00000, fp16 0x7e00, bf16
//    0x7fc0), whatever the inputs' payloads, so that a op b and b op a have the same bits (the contract of
//    org.kernels4j.comm.Reducer, which ranks using different reducers rely on).
// Launch with any 1-D global size: each work-item walks the buffer with a stride of that size.
// Built after bfloat16.cl, which provides the bf16 conversions.

float k4j_sum_f(float a, float b) { return a + b; }
float k4j_prod_f(float a, float b) { return a * b; }

float k4j_max_f(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == b) {
        return signbit(a) ? b : a;
    }
    return a > b ? a : b;
}

float k4j_min_f(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == b) {
        return signbit(a) ? a : b;
    }
    return a < b ? a : b;
}

float k4j_canonical(float value) { return isnan(value) ? as_float(0x7fc00000u) : value; }

// vstore_half's NaN bits are the implementation's choice, so the canonical one is written directly.
void k4j_store_half(float value, ulong index, __global half* out) {
    if (isnan(value)) {
        ((__global ushort*) out)[index] = 0x7e00;
    } else {
        vstore_half_rte(value, index, out);
    }
}

int k4j_sum_i(int a, int b) { return as_int(as_uint(a) + as_uint(b)); }
int k4j_prod_i(int a, int b) { return as_int(as_uint(a) * as_uint(b)); }
int k4j_max_i(int a, int b) { return max(a, b); }
int k4j_min_i(int a, int b) { return min(a, b); }

#define K4J_REDUCE_KERNELS_FOR_OP(op)                                                              \
    __kernel void k4j_reduce_##op##_fp32(__global const float* a, __global const float* b,       \
                                         __global float* out, ulong n) {                          \
        for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {                         \
            out[i] = k4j_canonical(k4j_##op##_f(a[i], b[i]));                                       \
        }                                                                                           \
    }                                                                                               \
    __kernel void k4j_reduce_##op##_fp16(__global const half* a, __global const half* b,          \
                                         __global half* out, ulong n) {                           \
        for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {                         \
            k4j_store_half(k4j_##op##_f(vload_half(i, a), vload_half(i, b)), i, out);               \
        }                                                                                           \
    }                                                                                               \
    __kernel void k4j_reduce_##op##_bf16(__global const ushort* a, __global const ushort* b,      \
                                         __global ushort* out, ulong n) {                         \
        for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {                         \
            out[i] = k4j_float_to_bf16(k4j_canonical(                                               \
                k4j_##op##_f(k4j_bf16_to_float(a[i]), k4j_bf16_to_float(b[i]))));                   \
        }                                                                                           \
    }                                                                                               \
    __kernel void k4j_reduce_##op##_int8(__global const char* a, __global const char* b,          \
                                         __global char* out, ulong n) {                           \
        for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {                         \
            out[i] = as_char((uchar) k4j_##op##_i(a[i], b[i]));                                     \
        }                                                                                           \
    }                                                                                               \
    __kernel void k4j_reduce_##op##_int32(__global const int* a, __global const int* b,           \
                                          __global int* out, ulong n) {                           \
        for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {                         \
            out[i] = k4j_##op##_i(a[i], b[i]);                                                      \
        }                                                                                           \
    }

K4J_REDUCE_KERNELS_FOR_OP(sum)
K4J_REDUCE_KERNELS_FOR_OP(prod)
K4J_REDUCE_KERNELS_FOR_OP(max)
K4J_REDUCE_KERNELS_FOR_OP(min)
