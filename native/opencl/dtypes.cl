// The element types of the dtype-generic kernel families (gemm.cl, conv2d.cl), chosen by one input and
// one output macro that the host passes when it builds the program (after bfloat16.cl):
//   -D K4J_IN_FP32 | K4J_IN_FP16 | K4J_IN_BF16 | K4J_IN_INT8
//   -D K4J_OUT_FP32 | K4J_OUT_FP16 | K4J_OUT_BF16 | K4J_OUT_INT32
// Floating inputs are widened to float and accumulated in float; FP16 is read with vload_half and written
// with vstore_half_rte, so no cl_khr_fp16 is needed; BF16 is read and written as ushort. INT8 accumulates
// in uint, where C defines the wrap modulo 2^32, and is reinterpreted as int at the end.

// k4j_in: the stored input element; k4j_value: the widened value products are formed from; k4j_acc: the accumulator.
#if defined(K4J_IN_FP32)
typedef float k4j_in;
#define K4J_LOAD_IN(p, i) ((p)[i])
#elif defined(K4J_IN_FP16)
typedef half k4j_in;
#define K4J_LOAD_IN(p, i) vload_half((i), (p))
#elif defined(K4J_IN_BF16)
typedef ushort k4j_in;
#define K4J_LOAD_IN(p, i) k4j_bf16_to_float((p)[i])
#elif defined(K4J_IN_INT8)
typedef char k4j_in;
#define K4J_LOAD_IN(p, i) ((int) (p)[i])
#else
#error "dtypes.cl needs one of -D K4J_IN_FP32, K4J_IN_FP16, K4J_IN_BF16, K4J_IN_INT8"
#endif

#if defined(K4J_IN_INT8)
typedef int k4j_value;
typedef uint k4j_acc;
// |x·y| <= 2^14, so the product itself cannot overflow; the sum wraps in uint.
#define K4J_MULTIPLY_ADD(acc, x, y) ((acc) + as_uint((x) * (y)))
// Exact int accumulator, rounded once to float (round to nearest even) before scaling.
#define K4J_ACC_TO_FLOAT(acc) ((float) as_int(acc))
#else
typedef float k4j_value;
typedef float k4j_acc;
#define K4J_MULTIPLY_ADD(acc, x, y) ((acc) + (x) * (y))
#define K4J_ACC_TO_FLOAT(acc) (acc)
#endif

#if defined(K4J_OUT_FP32)
typedef float k4j_out;
#define K4J_LOAD_OUT(p, i) ((p)[i])
#define K4J_STORE_OUT(p, i, v) ((p)[i] = (v))
#elif defined(K4J_OUT_FP16)
typedef half k4j_out;
#define K4J_LOAD_OUT(p, i) vload_half((i), (p))
#define K4J_STORE_OUT(p, i, v) vstore_half_rte((v), (i), (p))
#elif defined(K4J_OUT_BF16)
typedef ushort k4j_out;
#define K4J_LOAD_OUT(p, i) k4j_bf16_to_float((p)[i])
#define K4J_STORE_OUT(p, i, v) ((p)[i] = k4j_float_to_bf16(v))
#elif defined(K4J_OUT_INT32)
typedef int k4j_out;
#if !defined(K4J_IN_INT8)
#error "K4J_OUT_INT32 needs K4J_IN_INT8"
#endif
#else
#error "dtypes.cl needs one of -D K4J_OUT_FP32, K4J_OUT_FP16, K4J_OUT_BF16, K4J_OUT_INT32"
#endif

