// y = conv2d(x, w) + bias with the semantics of Conv2dSpec (cross-correlation; stride, padding, dilation,
// groups; NCHW or NHWC), one source for every dtype pair: the host builds it after bfloat16.cl,
// dtypes.cl, whose input and output macros choose the dtypes, and gemm_tiles.cl. The layout is an
// argument rather than a build option, so that one program per dtype pair serves both. Two kernels with
// the same arguments:
//  - k4j_conv2d, direct: each work-item computes K4J_CONV_FILTERS output elements that differ only in
//    their filter, so that every input element it reads is used K4J_CONV_FILTERS times. Work-items walk
//    y in memory order with a stride of the global size: neighbours write neighbouring elements. For
//    depthwise and other narrow groups, where a matrix tile would be mostly empty.
//  - k4j_conv2d_gemm, implicit GEMM: per group, the product of the virtual matrix of input patches
//    (N·P·Q output positions × C/groups·R·S taps, gathered as the tiles are loaded, never stored) and the
//    group's filters (K/groups × the same taps, as stored in w), with gemm_tiles.cl's blocking. Launch
//    with global size (ceil(K/groups / TILE_N)·GROUP_N, ceil(N·P·Q / TILE_M)·GROUP_M, groups) and local
//    size (GROUP_N, GROUP_M, 1).
//
// Padding positions are zeros that take part in the products, so an infinite or NaN weight that meets
// padding gives NaN, as in an explicitly padded input. The bias has the accumulator's type (float, or int
// for INT8) and joins the sum before the single conversion to the output type; for INT8 it wraps with
// the sum modulo 2^32.

#ifndef K4J_CONV_FILTERS
#error "conv2d.cl needs -D K4J_CONV_FILTERS, the filters one work-item computes"
#endif

#if defined(K4J_IN_INT8)
typedef int k4j_bias;
#define K4J_ADD_BIAS(acc, b) ((acc) + as_uint(b))
#else
typedef float k4j_bias;
#define K4J_ADD_BIAS(acc, b) ((acc) + (b))
#endif

// y[index] = acc (+ bias), converted once to the output type.
void k4j_store_conv(__global k4j_out* y, long index, k4j_acc acc, __global const k4j_bias* bias, int has_bias,
                    long filter) {
    const k4j_acc result = has_bias ? K4J_ADD_BIAS(acc, bias[filter]) : acc;
#if defined(K4J_OUT_INT32)
    y[index] = as_int(result);
#else
    K4J_STORE_OUT(y, index, K4J_ACC_TO_FLOAT(result));
#endif
}

// Index of y[n, k, p, q] in either layout.
long k4j_y_index(long n, long k, long p, long q, long filters, long out_h, long out_w, int channels_last) {
    return channels_last ? ((n * out_h + p) * out_w + q) * filters + k : ((n * filters + k) * out_h + p) * out_w + q;
}

// Index of x[n, c, row, column] in either layout.
long k4j_x_index(long n, long c, long row, long column, long channels, long height, long width, int channels_last) {
    return channels_last ? ((n * height + row) * width + column) * channels + c
                         : ((n * channels + c) * height + row) * width + column;
}

// The arguments of both kernels. Shapes: x [N, C, H, W] or [N, H, W, C] (channels_last), w [K, C/groups,
// R, S] or [K, R, S, C/groups], y [N, K, P, Q] or [N, P, Q, K]; bias [K], read only when has_bias (any
// buffer may stand in otherwise).
#define K4J_CONV_PARAMETERS                                                                               \
    __global const k4j_in *x, __global const k4j_in *w, __global const k4j_bias *bias, const int has_bias, \
        __global k4j_out *y, const long batch, const long channels, const long height, const long width,   \
        const long filters, const long taps_h, const long taps_w, const long out_h, const long out_w,      \
        const long channels_per_group, const long filters_per_group, const int stride_h,                  \
        const int stride_w, const int pad_top, const int pad_left, const int dilation_h,                  \
        const int dilation_w, const int channels_last

// One work unit is a run of K4J_CONV_FILTERS consecutive filters of one group at one output position.
__kernel void k4j_conv2d(K4J_CONV_PARAMETERS) {
    // Element strides of x, w and y along their logical axes.
    const long x_c = channels_last ? 1 : height * width;
    const long w_c = channels_last ? 1 : taps_h * taps_w;
    const long w_r = channels_last ? taps_w * channels_per_group : taps_w;
    const long w_s = channels_last ? channels_per_group : 1;
    const long w_k = channels_per_group * taps_h * taps_w;
    const long y_k = channels_last ? 1 : out_h * out_w;
    const long runs_per_group = (filters_per_group + K4J_CONV_FILTERS - 1) / K4J_CONV_FILTERS;
    const long runs = runs_per_group * (filters / filters_per_group);
    const long units = batch * runs * out_h * out_w;

    for (long unit = get_global_id(0); unit < units; unit += get_global_size(0)) {
        // Decode in y's memory order, with the filter run in place of the filter.
        long rest = unit;
        long run, p, q;
        if (channels_last) {
            run = rest % runs;
            rest /= runs;
            q = rest % out_w;
            rest /= out_w;
            p = rest % out_h;
            rest /= out_h;
        } else {
            q = rest % out_w;
            rest /= out_w;
            p = rest % out_h;
            rest /= out_h;
            run = rest % runs;
            rest /= runs;
        }
        const long n = rest;
        const long group = run / runs_per_group;
        const long k0 = group * filters_per_group + (run % runs_per_group) * K4J_CONV_FILTERS;
        const int count = (int) min((long) K4J_CONV_FILTERS, (group + 1) * filters_per_group - k0);

        k4j_acc acc[K4J_CONV_FILTERS];
        for (int f = 0; f < K4J_CONV_FILTERS; f++) {
            acc[f] = 0;
        }
        __global const k4j_in* w_run = w + k0 * w_k;
        for (long r = 0; r < taps_h; r++) {
            const long row = p * stride_h - pad_top + r * dilation_h;
            for (long s = 0; s < taps_w; s++) {
                const long column = q * stride_w - pad_left + s * dilation_w;
                const bool inside = row >= 0 && row < height && column >= 0 && column < width;
                __global const k4j_in* x_at =
                        x + (inside ? k4j_x_index(n, group * channels_per_group, row, column, channels, height, width, channels_last) : 0);
                __global const k4j_in* w_at = w_run + r * w_r + s * w_s;
                for (long c = 0; c < channels_per_group; c++) {
                    const k4j_value xv = inside ? K4J_LOAD_IN(x_at, c * x_c) : 0;
                    for (int f = 0; f < K4J_CONV_FILTERS; f++) {
                        if (f < count) {
                            acc[f] = K4J_MULTIPLY_ADD(acc[f], xv, (k4j_value) K4J_LOAD_IN(w_at, f * w_k + c * w_c));
                        }
                    }
                }
            }
        }

        const long y_first = k4j_y_index(n, k0, p, q, filters, out_h, out_w, channels_last);
        for (int f = 0; f < K4J_CONV_FILTERS; f++) {
            if (f < count) {
                k4j_store_conv(y, y_first + f * y_k, acc[f], bias, has_bias, k0 + f);
            }
        }
    }
}

// Element (position, tap) of the virtual patch matrix: x at output position `position` (n, p, q) and tap
// (c, r, s) of the group's channels, 0 in the padding and beyond the matrix. Taps are numbered as w
// stores them: (c, r, s) in NCHW, (r, s, c) in NHWC.
k4j_value k4j_patch_element(__global const k4j_in* x, long position, long tap, long group, long positions,
                            long taps, long channels, long height, long width, long taps_h, long taps_w,
                            long out_h, long out_w, long channels_per_group, int stride_h, int stride_w,
                            int pad_top, int pad_left, int dilation_h, int dilation_w, int channels_last) {
    if (position >= positions || tap >= taps) {
        return 0;
    }
    const long q = position % out_w;
    const long p = position / out_w % out_h;
    const long n = position / (out_w * out_h);
    long c, r, s;
    if (channels_last) {
        c = tap % channels_per_group;
        s = tap / channels_per_group % taps_w;
        r = tap / (channels_per_group * taps_w);
    } else {
        s = tap % taps_w;
        r = tap / taps_w % taps_h;
        c = tap / (taps_w * taps_h);
    }
    const long row = p * stride_h - pad_top + r * dilation_h;
    const long column = q * stride_w - pad_left + s * dilation_w;
    if (row < 0 || row >= height || column < 0 || column >= width) {
        return 0;
    }
    return K4J_LOAD_IN(x, k4j_x_index(n, group * channels_per_group + c, row, column, channels, height, width, channels_last));
}

__kernel __attribute__((reqd_work_group_size(K4J_GROUP_N, K4J_GROUP_M, 1)))
void k4j_conv2d_gemm(K4J_CONV_PARAMETERS) {
    __local k4j_value a_tile[K4J_TILE_K][K4J_TILE_M];
    __local k4j_value b_tile[K4J_TILE_K][K4J_TILE_N];

    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int local_index = ty * K4J_GROUP_N + tx;
    const long group = get_group_id(2);
    const long row0 = (long) get_group_id(1) * K4J_TILE_M;
    const long col0 = (long) get_group_id(0) * K4J_TILE_N;
    const long positions = batch * out_h * out_w;
    const long taps = channels_per_group * taps_h * taps_w;
    __global const k4j_in* w_group = w + group * filters_per_group * taps;

    k4j_acc acc[K4J_WORK_M][K4J_WORK_N];
    k4j_clear_accumulators(acc);

    for (long t0 = 0; t0 < taps; t0 += K4J_TILE_K) {
        // Neighbouring work-items load neighbouring elements of x: channels in NHWC, positions in NCHW.
        for (int e = local_index; e < K4J_TILE_K * K4J_TILE_M; e += K4J_GROUP_SIZE) {
            const int tt = channels_last ? e % K4J_TILE_K : e / K4J_TILE_M;
            const int ii = channels_last ? e / K4J_TILE_K : e % K4J_TILE_M;
            a_tile[tt][ii] = k4j_patch_element(x, row0 + ii, t0 + tt, group, positions, taps, channels, height, width,
                                               taps_h, taps_w, out_h, out_w, channels_per_group, stride_h, stride_w,
                                               pad_top, pad_left, dilation_h, dilation_w, channels_last);
        }
        for (int e = local_index; e < K4J_TILE_K * K4J_TILE_N; e += K4J_GROUP_SIZE) {
            const int tt = e % K4J_TILE_K;
            const int jj = e / K4J_TILE_K;
            const long j = col0 + jj;
            const long t = t0 + tt;
            b_tile[tt][jj] = (j < filters_per_group && t < taps) ? K4J_LOAD_IN(w_group, j * taps + t) : 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        k4j_multiply_tiles(a_tile, b_tile, acc, tx, ty);
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int wm = 0; wm < K4J_WORK_M; wm++) {
        const long position = row0 + ty + wm * K4J_GROUP_M;
        for (int wn = 0; wn < K4J_WORK_N; wn++) {
            const long j = col0 + tx + wn * K4J_GROUP_N;
            if (position < positions && j < filters_per_group) {
                const long k = group * filters_per_group + j;
                const long q = position % out_w;
                const long p = position / out_w % out_h;
                const long n = position / (out_w * out_h);
                k4j_store_conv(y, k4j_y_index(n, k, p, q, filters, out_h, out_w, channels_last), acc[wm][wn], bias, has_bias, k);
            }
        }
    }
}
