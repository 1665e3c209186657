// y = conv2d(x, w) + bias with the semantics of Conv2dSpec (cross-correlation; stride, padding, dilation,
// groups; NCHW or NHWC), one source for every dtype pair: the host builds it after bfloat16.cl and
// dtypes.cl, whose input and output macros choose the dtypes. The layout is an argument rather than a
// build option, so that one program per dtype pair serves both.
//
// Direct convolution: each work-item computes K4J_CONV_FILTERS output elements that differ only in their
// filter, so that every input element it reads is used K4J_CONV_FILTERS times. Work-items walk y in
// memory order with a stride of the global size: neighbours write neighbouring elements.
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

void k4j_store_conv(__global k4j_out* y, long index, k4j_acc acc) {
#if defined(K4J_OUT_INT32)
    y[index] = as_int(acc);
#else
    K4J_STORE_OUT(y, index, K4J_ACC_TO_FLOAT(acc));
#endif
}

// Shapes: x [N, C, H, W] or [N, H, W, C] (channels_last), w [K, C/groups, R, S] or [K, R, S, C/groups],
// y [N, K, P, Q] or [N, P, Q, K]; bias [K], read only when has_bias (any buffer may stand in otherwise).
// One work unit is a run of K4J_CONV_FILTERS consecutive filters of one group at one output position.
__kernel void k4j_conv2d(__global const k4j_in* x, __global const k4j_in* w,
                         __global const k4j_bias* bias, const int has_bias, __global k4j_out* y,
                         const long batch, const long channels, const long height, const long width,
                         const long filters, const long taps_h, const long taps_w,
                         const long out_h, const long out_w, const long channels_per_group,
                         const long filters_per_group, const int stride_h, const int stride_w,
                         const int pad_top, const int pad_left, const int dilation_h, const int dilation_w,
                         const int channels_last) {
    // Element strides of x, w and y along their logical axes.
    const long x_c = channels_last ? 1 : height * width;
    const long x_h = channels_last ? width * channels : width;
    const long x_w = channels_last ? channels : 1;
    const long x_n = channels * height * width;
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
        __global const k4j_in* x_image = x + n * x_n + group * channels_per_group * x_c;
        __global const k4j_in* w_run = w + k0 * w_k;
        for (long r = 0; r < taps_h; r++) {
            const long row = p * stride_h - pad_top + r * dilation_h;
            for (long s = 0; s < taps_w; s++) {
                const long column = q * stride_w - pad_left + s * dilation_w;
                const bool inside = row >= 0 && row < height && column >= 0 && column < width;
                __global const k4j_in* x_at = x_image + (inside ? row * x_h + column * x_w : 0);
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

        const long y_first = channels_last
                ? ((n * out_h + p) * out_w + q) * filters + k0
                : ((n * filters + k0) * out_h + p) * out_w + q;
        for (int f = 0; f < K4J_CONV_FILTERS; f++) {
            if (f < count) {
                k4j_store_conv(y, y_first + f * y_k, has_bias ? K4J_ADD_BIAS(acc[f], bias[k0 + f]) : acc[f]);
            }
        }
    }
}
