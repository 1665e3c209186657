#!/usr/bin/env python3
"""Checks `k4j run conv2d` against an independent numpy convolution for every dtype and both layouts.

For each case it writes random .npy inputs, runs the CLI, and holds every output element to the DESIGN.md bound
(k = C/groups·R·S terms, one FP32 rounding after the sum) around a float64 numpy reference computed from the same
rounded inputs (FP16 via numpy's own float16 rounding, BF16 via round-to-nearest-even on the float32 bits); INT8 must
match exactly, with two's-complement wrap. The reference pads explicitly and sums one strided slice per filter tap,
group by group; NHWC cases go through the same code after transposing. Usage:
scripts/numpy-conv2d-agreement.py [--backend NAME] [--dtype LIST] [--k4j PATH]. Exit status 0 when every case agrees, 1 otherwise.
"""
import os
import sys
import tempfile

import numpy as np

from numpy_agreement import (U32, UNIT_ROUNDOFF, command_line, bound_violation, exact_mismatch, report, round_to,
                             run_k4j, wrap_int32)


def conv_nchw(x, w, stride, pad, dilation, groups):
    """y[n, k, p, q] = sum over c, r, s of x_padded[n, g·C/G + c, p·sh + r·dh, q·sw + s·dw] · w[k, c, r, s]."""
    n, c, h, wd = x.shape
    k, cg, r, s = w.shape
    (sh, sw), (pt, pb, pl, pr), (dh, dw) = stride, pad, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    p = (h + pt + pb - dh * (r - 1) - 1) // sh + 1
    q = (wd + pl + pr - dw * (s - 1) - 1) // sw + 1
    kg = k // groups
    y = np.zeros((n, k, p, q), dtype=x.dtype)
    for i in range(r):
        for j in range(s):
            patch = xp[:, :, i * dh: i * dh + sh * (p - 1) + 1: sh, j * dw: j * dw + sw * (q - 1) + 1: sw]
            for g in range(groups):
                y[:, g * kg:(g + 1) * kg] += np.einsum("nchw,kc->nkhw", patch[:, g * cg:(g + 1) * cg], w[g * kg:(g + 1) * kg, :, i, j])
    return y


def to_nhwc(a):
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1))


def to_nchw(a):
    return np.ascontiguousarray(a.transpose(0, 3, 1, 2))


def run_case(k4j, backend, dtype, out_dtype, layout, geometry, seed, tmp):
    n, c, h, wd, k, r, s, stride, pad, dilation, groups, with_bias = geometry
    rng = np.random.default_rng(seed)
    x_shape, w_shape = (n, c, h, wd), (k, c // groups, r, s)
    if dtype == "int8":
        x = rng.integers(-128, 128, x_shape, dtype=np.int8)
        w = rng.integers(-128, 128, w_shape, dtype=np.int8)
        bias = rng.integers(-2 ** 31, 2 ** 31, (k,), dtype=np.int64).astype(np.int32)
    else:
        x = rng.uniform(-1, 1, x_shape).astype(np.float32)
        w = rng.uniform(-1, 1, w_shape).astype(np.float32)
        bias = rng.uniform(-1, 1, (k,)).astype(np.float32)
    paths = {name: os.path.join(tmp, f"{name}.npy") for name in ("x", "w", "b", "y")}
    np.save(paths["x"], to_nhwc(x) if layout == "nhwc" else x)
    np.save(paths["w"], to_nhwc(w) if layout == "nhwc" else w)
    np.save(paths["b"], bias)
    args = ["run", "conv2d", "--backend", backend, "--x", paths["x"], "--w", paths["w"],
            "--stride", f"{stride[0]},{stride[1]}", "--pad", ",".join(str(v) for v in pad),
            "--dilation", f"{dilation[0]},{dilation[1]}", "--groups", str(groups), "--layout", layout,
            "--dtype", dtype, "--out", paths["y"]]
    if with_bias:
        args += ["--bias", paths["b"]]
    if out_dtype:
        args += ["--out-dtype", out_dtype]
    problem = run_k4j(k4j, args, paths["y"])
    if problem:
        return problem
    raw = np.load(paths["y"])
    if layout == "nhwc":
        raw = to_nchw(raw)
    int_output = dtype == "int8" and out_dtype != "fp32"
    expected_type = np.int32 if int_output else (np.float16 if out_dtype == "fp16" else np.float32)
    if raw.dtype != expected_type:
        return f"output is {raw.dtype}, expected {np.dtype(expected_type)}"
    y = raw.astype(np.float64)
    b = bias.astype(np.float64) if with_bias else np.zeros(k)
    if dtype == "int8":
        exact = conv_nchw(x.astype(np.int64), w.astype(np.int64), stride, pad, dilation, groups)
        if with_bias:
            exact = exact + bias.astype(np.int64)[None, :, None, None]
        ref = wrap_int32(exact)
        if ref.shape != y.shape:
            return f"output shape {y.shape}, expected {ref.shape}"
        if int_output:
            return exact_mismatch(y, ref)
        allowed = 2 * U32 * np.abs(ref) + U32 * np.abs(ref)
        return bound_violation(y, ref, np.maximum(allowed, 2.0 ** -25))
    rx, rw = round_to(x, dtype), round_to(w, dtype)
    ref = conv_nchw(rx, rw, stride, pad, dilation, groups) + b[None, :, None, None]
    magnitude = conv_nchw(np.abs(rx), np.abs(rw), stride, pad, dilation, groups) + np.abs(b)[None, :, None, None]
    if ref.shape != y.shape:
        return f"output shape {y.shape}, expected {ref.shape}"
    terms = (c // groups) * r * s
    u_out = UNIT_ROUNDOFF[out_dtype or "fp32"]
    allowed = 2 * (terms * U32 + U32) * magnitude + u_out * np.abs(ref) + 2.0 ** -25
    return bound_violation(y, ref, allowed)


GEOMETRIES = (
    # n, c, h, w, k, r, s, stride, pad (top, bottom, left, right), dilation, groups, bias
    (2, 6, 11, 9, 8, 3, 3, (2, 1), (1, 0, 2, 1), (1, 2), 2, True),
    (1, 12, 13, 10, 12, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 12, True),
    (2, 16, 7, 7, 10, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1), 1, False),
    (1, 3, 17, 15, 5, 7, 7, (2, 2), (3, 3, 3, 3), (1, 1), 1, True),
)


def label(case):
    dtype, out, layout, (n, c, h, wd, k, r, s, stride, pad, dilation, groups, with_bias) = case
    return f"{dtype}->{out or ('int32' if dtype == 'int8' else 'fp32')} {layout} x {n}x{c}x{h}x{wd} k{k} {r}x{s} " \
           f"s{stride} p{pad} d{dilation} g{groups}{' bias' if with_bias else ''}"


def main():
    options = command_line(__doc__)
    dtypes = (("fp32", None), ("fp16", None), ("fp16", "fp16"), ("bf16", None), ("bf16", "bf16"), ("int8", None), ("int8", "fp32"))
    cases = [(dtype, out, layout, geometry) for dtype, out in dtypes if dtype in options.dtype for layout in ("nchw", "nhwc") for geometry in GEOMETRIES]
    with tempfile.TemporaryDirectory() as tmp:
        return report(cases, lambda seed, case: run_case(options.k4j, options.backend, *case, seed, tmp), label)


if __name__ == "__main__":
    sys.exit(main())
