// 2-D convolution (cross-correlation) with Conv2dSpec's semantics: stride, padding (zeros that take
// part in the products), dilation, groups, an optional bias of the accumulator's type joined to the
// sum before the single rounding to the output type. NCHW and NHWC each have their own indexing.
//
// Kernels (named in org.kernels4j.gpu.cuda.CudaKernelNames):
//  - k4j_conv2d_igemm_<layout>_<in>_<out>: implicit GEMM on the SIMT core of k4j_simt_gemm.cuh. Per
//    group, rows = N·P·Q output pixels, columns = K/groups filters, reduction = (C/groups)·R·S taken in
//    the weights' own order ((r, s, c) for NHWC, (c, r, s) for NCHW), so the weights are the B matrix as
//    stored; the A elements are gathered from the image (im2col without the copy).
//    Grid (ceil(N·P·Q/128), ceil((K/groups)/128), groups), 256 threads.
//  - k4j_conv2d_tc_nhwc_<in>_<out>: the NHWC implicit GEMM on tensor cores (k4j_tc_gemm.cuh) for FP16,
//    BF16 and INT8 when each group's channels fill whole 16-byte chunks ((C/groups)·element bytes a
//    multiple of 16; the host sends other shapes to the SIMT kernel). Same GEMM view and grid as above,
//    256 threads and TC_SHARED_BYTES of dynamic shared memory; x and w start 16-byte aligned.
//    NCHW convolutions of such shapes run it too, the host transforming the layouts around it with
//  - k4j_transpose_batched_b8/b16/b32: dst[b] (cols x rows) = transpose of src[b] (rows x cols) for dense
//    matrices one after another: x [N][C][H·W] -> [N][H·W][C], w [K][C/g][R·S] -> [K][R·S][C/g] and y
//    [N][P·Q][K] -> [N][K][P·Q]. Grid (32x32 tiles of one matrix, batch), blockDim (32, 8).
//  - k4j_conv2d_depthwise_<layout>_<in>_<out>: groups = C = K, one thread per output element in the
//    output's memory order, so neighbouring threads read neighbouring inputs. Any 1-D grid (grid-stride).

#include "k4j_simt_gemm.cuh"
#include "k4j_tc_gemm.cuh"
#include "k4j_transpose.cuh"

namespace k4j {

// The geometry as the host passes it (org.kernels4j.gpu.cuda.CudaConvGeometry writes these 16 ints
// in this order). Every count fits an int; products are formed in long long.
struct ConvShape {
    int n, c, h, w, k, r, s, p, q;
    int strideH, strideW, padTop, padLeft, dilationH, dilationW, groups;
};

template <bool NHWC>
__device__ __forceinline__ long long image_index(const ConvShape& g, long long n, int channel, int y, int x) {
    return NHWC ? ((n * g.h + y) * g.w + x) * g.c + channel : ((n * g.c + channel) * g.h + y) * g.w + x;
}

template <bool NHWC>
__device__ __forceinline__ long long output_index(const ConvShape& g, long long pixel, int filter) {
    long long plane = static_cast<long long>(g.p) * g.q;
    return NHWC ? pixel * g.k + filter : ((pixel / plane) * g.k + filter) * plane + pixel % plane;
}

// A(pixel, kk) of the implicit GEMM: the input element filter tap kk of output pixel `pixel` sees.
template <typename TIn, typename TAcc, bool NHWC>
struct ImageOperand {
    const TIn* x;
    ConvShape g;

    __device__ TAcc load(long long pixel, long long kk, int group) const {
        const int perGroup = g.c / g.groups;
        const long long pixels = static_cast<long long>(g.n) * g.p * g.q;
        if (pixel >= pixels || kk >= static_cast<long long>(perGroup) * g.r * g.s) {
            return TAcc(0);
        }
        const int q = static_cast<int>(pixel % g.q);
        const int p = static_cast<int>((pixel / g.q) % g.p);
        const long long n = pixel / (static_cast<long long>(g.q) * g.p);
        const int tap = static_cast<int>(kk);
        int channel, r, s;
        if (NHWC) {
            channel = tap % perGroup;
            s = (tap / perGroup) % g.s;
            r = tap / (perGroup * g.s);
        } else {
            s = tap % g.s;
            r = (tap / g.s) % g.r;
            channel = tap / (g.s * g.r);
        }
        const int y = p * g.strideH - g.padTop + r * g.dilationH;
        const int x0 = q * g.strideW - g.padLeft + s * g.dilationW;
        if (y < 0 || y >= g.h || x0 < 0 || x0 >= g.w) {
            return TAcc(0);
        }
        return widen(x[image_index<NHWC>(g, n, group * perGroup + channel, y, x0)]);
    }

    __device__ void load4(long long pixel, long long kk, int group, TAcc* out) const {
        for (int i = 0; i < 4; i++) {
            out[i] = load(pixel, kk + i, group);
        }
    }

    __device__ bool k_contiguous() const { return true; }
};

template <typename TAcc, typename TOut, bool NHWC>
struct ConvOutput {
    TOut* y;
    const TAcc* bias;
    ConvShape g;

    __device__ void store(long long pixel, long long col, int group, TAcc acc) const {
        const int filter = group * (g.k / g.groups) + static_cast<int>(col);
        if (bias != nullptr) {
            acc = add_bias(acc, bias[filter]);
        }
        finish(y, output_index<NHWC>(g, pixel, filter), acc, 1.0f, 0.0f);
    }
};

template <typename TIn, typename TAcc, typename TOut, bool NHWC>
__device__ void implicit_gemm(const TIn* x, const TIn* w, const TAcc* bias, TOut* y, const ConvShape& g) {
    const long long reduction = static_cast<long long>(g.c / g.groups) * g.r * g.s;
    const long long filtersPerGroup = g.k / g.groups;
    const long long pixels = static_cast<long long>(g.n) * g.p * g.q;
    ImageOperand<TIn, TAcc, NHWC> image{x, g};
    StridedOperand<TIn, TAcc> weights{w, reduction, true, filtersPerGroup * reduction, filtersPerGroup, reduction};
    ConvOutput<TAcc, TOut, NHWC> output{y, bias, g};
    simt_gemm<TAcc>(image, weights, output, pixels, filtersPerGroup, reduction);
}

// The block's 128 output pixels as the rows of the implicit GEMM's A on tensor cores: depth element kk
// is channel c of filter tap (r, s) with kk = (r·S + s)·(C/groups) + c, the order of NHWC weights. A
// group's channels fill whole 16-byte chunks, so each chunk is one cp.async from one image position, or
// zeros where the tap falls into the padding, past the reduction or the pixel past the last one.
template <int ELEMENT_BYTES>
struct ImageTile {
    const char* x;
    ConvShape g;
    long long depthBytes;
    // Per chunk row of this thread: the pixel's image (group's first channel included), and the input
    // position of its filter tap (0, 0); pixels past the end have no image.
    const char* images[TC_CHUNKS_PER_THREAD];
    int top[TC_CHUNKS_PER_THREAD];
    int left[TC_CHUNKS_PER_THREAD];

    __device__ ImageTile(const char* x, const ConvShape& g, long long depthBytes, long long pixel0, int group)
        : x(x), g(g), depthBytes(depthBytes) {
        const long long pixels = static_cast<long long>(g.n) * g.p * g.q;
        const long long channel0 = static_cast<long long>(group) * (g.c / g.groups);
        #pragma unroll
        for (int i = 0; i < TC_CHUNKS_PER_THREAD; i++) {
            const long long pixel = pixel0 + tile_chunk_row(i);
            const int q = static_cast<int>(pixel % g.q);
            const int p = static_cast<int>((pixel / g.q) % g.p);
            const long long n = pixel / (static_cast<long long>(g.q) * g.p);
            images[i] = pixel < pixels ? x + (n * g.h * g.w * g.c + channel0) * ELEMENT_BYTES : nullptr;
            top[i] = p * g.strideH - g.padTop;
            left[i] = q * g.strideW - g.padLeft;
        }
    }

    __device__ void load(uint32_t shared, long long byte0) const {
        const int byte = tile_chunk_byte();
        const long long depthByte = byte0 + byte;
        const int perGroup = g.c / g.groups;
        const int kk = static_cast<int>(depthByte / ELEMENT_BYTES);
        const int channel = kk % perGroup;
        const int tap = kk / perGroup;
        const int dy = (tap / g.s) * g.dilationH;
        const int dx = (tap % g.s) * g.dilationW;
        #pragma unroll
        for (int i = 0; i < TC_CHUNKS_PER_THREAD; i++) {
            const int y = top[i] + dy;
            const int xx = left[i] + dx;
            const bool inside = depthByte < depthBytes && images[i] != nullptr && y >= 0 && y < g.h && xx >= 0 && xx < g.w;
            const char* source =
                inside ? images[i] + ((static_cast<long long>(y) * g.w + xx) * g.c + channel) * ELEMENT_BYTES : x;
            copy_async(shared + tile_chunk_row(i) * TC_PITCH + byte, source, inside ? 16 : 0);
        }
    }
};

// NHWC only: weights [K, R, S, C/groups] are each group's B (filters x depth) as stored.
template <typename Mma, typename TOut>
__device__ void tc_implicit_gemm(const char* x, const char* w, const typename Mma::Acc* bias, TOut* y,
                                 const ConvShape& g) {
    const long long reduction = static_cast<long long>(g.c / g.groups) * g.r * g.s;
    const long long depthBytes = reduction * Mma::ELEMENT_BYTES;
    const long long filtersPerGroup = g.k / g.groups;
    const long long pixels = static_cast<long long>(g.n) * g.p * g.q;
    const int group = blockIdx.z;
    const long long pixel0 = static_cast<long long>(blockIdx.x) * TC_TILE;
    const long long filter0 = static_cast<long long>(group) * filtersPerGroup + static_cast<long long>(blockIdx.y) * TC_TILE;
    ImageTile<Mma::ELEMENT_BYTES> image(x, g, depthBytes, pixel0, group);
    MatrixTile weights{w + filter0 * depthBytes, depthBytes, filtersPerGroup - static_cast<long long>(blockIdx.y) * TC_TILE,
                       depthBytes};
    ConvOutput<typename Mma::Acc, TOut, true> output{y, bias, g};
    tc_gemm<Mma>(image, weights, output, pixels, filtersPerGroup, depthBytes);
}

// Weights are [K, R, S, 1] (NHWC) or [K, 1, R, S] (NCHW): the same offsets.
template <typename TIn, typename TAcc, typename TOut, bool NHWC>
__device__ void depthwise(const TIn* x, const TIn* w, const TAcc* bias, TOut* y, const ConvShape& g) {
    const long long plane = static_cast<long long>(g.p) * g.q;
    const long long total = static_cast<long long>(g.n) * g.k * plane;
    const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
    for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
        int channel, p, q;
        long long n;
        if (NHWC) {
            channel = static_cast<int>(i % g.k);
            long long pixel = i / g.k;
            q = static_cast<int>(pixel % g.q);
            p = static_cast<int>((pixel / g.q) % g.p);
            n = pixel / plane;
        } else {
            q = static_cast<int>(i % g.q);
            p = static_cast<int>((i / g.q) % g.p);
            channel = static_cast<int>((i / plane) % g.k);
            n = i / (plane * g.k);
        }
        TAcc acc = TAcc(0);
        const TIn* filter = w + static_cast<long long>(channel) * g.r * g.s;
        for (int r = 0; r < g.r; r++) {
            const int yy = p * g.strideH - g.padTop + r * g.dilationH;
            for (int s = 0; s < g.s; s++) {
                const int xx = q * g.strideW - g.padLeft + s * g.dilationW;
                // Padding is zeros that take part in the products: 0·Inf in a weight must still give NaN.
                TAcc value = (yy < 0 || yy >= g.h || xx < 0 || xx >= g.w)
                                 ? TAcc(0)
                                 : widen(x[image_index<NHWC>(g, n, channel, yy, xx)]);
                multiply_add(acc, value, widen(filter[r * g.s + s]));
            }
        }
        if (bias != nullptr) {
            acc = add_bias(acc, bias[channel]);
        }
        finish(y, i, acc, 1.0f, 0.0f);
    }
}

}  // namespace k4j

#define K4J_CONV2D(layout, nhwc, name, TIn, TAcc, TOut)                                                           \
    extern "C" __global__ void __launch_bounds__(k4j::SIMT_THREADS) k4j_conv2d_igemm_##layout##_##name(           \
        const TIn* x, const TIn* w, const TAcc* bias, TOut* y, k4j::ConvShape shape) {                            \
        k4j::implicit_gemm<TIn, TAcc, TOut, nhwc>(x, w, bias, y, shape);                                          \
    }                                                                                                             \
    extern "C" __global__ void k4j_conv2d_depthwise_##layout##_##name(const TIn* x, const TIn* w, const TAcc* bias, \
                                                                      TOut* y, k4j::ConvShape shape) {            \
        k4j::depthwise<TIn, TAcc, TOut, nhwc>(x, w, bias, y, shape);                                              \
    }

#define K4J_CONV2D_LAYOUTS(name, TIn, TAcc, TOut)      \
    K4J_CONV2D(nchw, false, name, TIn, TAcc, TOut)     \
    K4J_CONV2D(nhwc, true, name, TIn, TAcc, TOut)

K4J_CONV2D_LAYOUTS(fp32_fp32, float, float, float)
K4J_CONV2D_LAYOUTS(fp16_fp32, __half, float, float)
K4J_CONV2D_LAYOUTS(fp16_fp16, __half, float, __half)
K4J_CONV2D_LAYOUTS(bf16_fp32, __nv_bfloat16, float, float)
K4J_CONV2D_LAYOUTS(bf16_bf16, __nv_bfloat16, float, __nv_bfloat16)
K4J_CONV2D_LAYOUTS(int8_int32, int8_t, int32_t, int32_t)
K4J_CONV2D_LAYOUTS(int8_fp32, int8_t, int32_t, float)

#define K4J_CONV2D_TC(name, Mma, TOut)                                                                             \
    extern "C" __global__ void __launch_bounds__(k4j::TC_THREADS) k4j_conv2d_tc_nhwc_##name(                      \
        const void* x, const void* w, const Mma::Acc* bias, TOut* y, k4j::ConvShape shape) {                      \
        k4j::tc_implicit_gemm<Mma, TOut>(static_cast<const char*>(x), static_cast<const char*>(w), bias, y, shape); \
    }

K4J_CONV2D_TC(fp16_fp32, k4j::MmaFp16, float)
K4J_CONV2D_TC(fp16_fp16, k4j::MmaFp16, __half)
K4J_CONV2D_TC(bf16_fp32, k4j::MmaBf16, float)
K4J_CONV2D_TC(bf16_bf16, k4j::MmaBf16, __nv_bfloat16)
K4J_CONV2D_TC(int8_int32, k4j::MmaInt8, int32_t)
K4J_CONV2D_TC(int8_fp32, k4j::MmaInt8, float)

#define K4J_TRANSPOSE_BATCHED(bits, T)                                                                             \
    extern "C" __global__ void k4j_transpose_batched_b##bits(const T* src, T* dst, long long rows, long long cols) { \
        const long long matrix = static_cast<long long>(blockIdx.y) * rows * cols;                                \
        k4j::transpose(src + matrix, cols, dst + matrix, rows, rows, cols);                                       \
    }

K4J_TRANSPOSE_BATCHED(8, uint8_t)
K4J_TRANSPOSE_BATCHED(16, uint16_t)
K4J_TRANSPOSE_BATCHED(32, uint32_t)
