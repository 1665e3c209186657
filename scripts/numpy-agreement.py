#!/usr/bin/env python3
"""Checks `k4j run gemm` against an independent numpy computation for every dtype.

For each case it writes random .npy inputs, runs the CLI, and holds every output element to the
DESIGN.md bound around a float64 numpy reference computed from the same rounded inputs (FP16 via
numpy's own float16 rounding, BF16 via round-to-nearest-even on the float32 bits); INT8 must match
exactly, with two's-complement wrap. Usage: scripts/numpy-agreement.py [--backend NAME] [--dtype LIST] [--k4j PATH]
(--k4j: the launcher to check, default the source tree's; e.g. that of a folder written by `k4j dist`)
Exit status 0 when every case agrees, 1 otherwise.
"""
import os
import sys
import tempfile

import numpy as np

from numpy_agreement import (U32, UNIT_ROUNDOFF, command_line, bound_violation, exact_mismatch, report, round_to,
                             run_k4j, wrap_int32)


def run_case(k4j, backend, dtype, out_dtype, m, n, k, trans_a, trans_b, alpha, beta, seed, tmp):
    rng = np.random.default_rng(seed)
    a_shape = (k, m) if trans_a else (m, k)
    b_shape = (n, k) if trans_b else (k, n)
    if dtype == "int8":
        a = rng.integers(-128, 128, a_shape, dtype=np.int8)
        b = rng.integers(-128, 128, b_shape, dtype=np.int8)
        c = rng.integers(-1000, 1000, (m, n), dtype=np.int32)
    else:
        a = rng.uniform(-1, 1, a_shape).astype(np.float32)
        b = rng.uniform(-1, 1, b_shape).astype(np.float32)
        c = rng.uniform(-1, 1, (m, n)).astype(np.float32)
        if out_dtype in ("fp16", "bf16"):
            c = round_to(c, out_dtype).astype(np.float32)
    paths = {name: os.path.join(tmp, f"{name}.npy") for name in ("a", "b", "c", "y")}
    np.save(paths["a"], a)
    np.save(paths["b"], b)
    np.save(paths["c"], c)
    args = ["run", "gemm", "--backend", backend, "--a", paths["a"], "--b", paths["b"],
            "--c", paths["c"], "--alpha", repr(alpha), "--beta", repr(beta), "--dtype", dtype, "--out", paths["y"]]
    if out_dtype:
        args += ["--out-dtype", out_dtype]
    if trans_a:
        args.append("--trans-a")
    if trans_b:
        args.append("--trans-b")
    problem = run_k4j(k4j, args, paths["y"])
    if problem:
        return problem
    raw = np.load(paths["y"])
    expected_type = np.int32 if dtype == "int8" else (np.float16 if out_dtype == "fp16" else np.float32)
    if raw.dtype != expected_type or raw.shape != (m, n):
        return f"output is {raw.dtype} {raw.shape}, expected {np.dtype(expected_type)} {(m, n)}"
    y = raw.astype(np.float64)
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    if dtype == "int8":
        exact = op_a.astype(np.int64) @ op_b.astype(np.int64)
        ref = (int(alpha) * exact + int(beta) * c.astype(np.int64))
        return exact_mismatch(y, wrap_int32(ref))
    ra, rb = round_to(op_a, dtype), round_to(op_b, dtype)
    cc = c.astype(np.float64)
    ref = alpha * (ra @ rb) + beta * cc
    magnitude = abs(alpha) * (np.abs(ra) @ np.abs(rb)) + abs(beta * cc)
    u_out = UNIT_ROUNDOFF[out_dtype or "fp32"]
    allowed = 2 * (k * U32 + 2 * U32) * magnitude + u_out * np.abs(ref) + 2.0 ** -25
    return bound_violation(y, ref, allowed)


def label(case):
    dtype, out, m, n, k, ta, tb, alpha, beta = case
    return f"{dtype}->{out or ('int32' if dtype == 'int8' else 'fp32')} {m}x{n}x{k} {'T' if ta else 'N'}{'T' if tb else 'N'}"


def main():
    options = command_line(__doc__)
    cases = []
    for dtype, out in (("fp32", None), ("fp16", None), ("fp16", "fp16"), ("bf16", None), ("bf16", "bf16"), ("int8", None)):
        if dtype not in options.dtype:
            continue
        for m, n, k, ta, tb in ((67, 45, 129, False, False), (33, 17, 257, True, True), (1, 127, 7, False, True)):
            alpha, beta = (3.0, -2.0) if dtype == "int8" else (0.7, 1.3)
            cases.append((dtype, out, m, n, k, ta, tb, alpha, beta))
    with tempfile.TemporaryDirectory() as tmp:
        return report(cases, lambda seed, case: run_case(options.k4j, options.backend, *case, seed, tmp), label)


if __name__ == "__main__":
    sys.exit(main())
