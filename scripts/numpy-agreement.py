#!/usr/bin/env python3
"""Checks `k4j run gemm` against an independent numpy computation for every dtype.

For each case it writes random .npy inputs, runs the CLI, and holds every output element to the
DESIGN.md bound around a float64 numpy reference computed from the same rounded inputs (FP16 via
numpy's own float16 rounding, BF16 via round-to-nearest-even on the float32 bits); INT8 must match
exactly, with two's-complement wrap. Usage: scripts/numpy-agreement.py [--backend NAME] [--dtype LIST] [--k4j PATH]
(--k4j: the launcher to check, default the source tree's; e.g. that of a folder written by `k4j dist`)
Exit status 0 when every case agrees, 1 otherwise.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
U32 = 2.0 ** -24
UNIT_ROUNDOFF = {"fp32": U32, "fp16": 2.0 ** -11, "bf16": 2.0 ** -8}


def bf16_round(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return rounded.astype(np.uint32).view(np.float32)


def round_to(values, dtype):
    if dtype == "fp16":
        return values.astype(np.float16).astype(np.float64)
    if dtype == "bf16":
        return bf16_round(values).astype(np.float64)
    return values.astype(np.float32).astype(np.float64)


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
    if os.path.exists(paths["y"]):
        os.remove(paths["y"])
    cmd = [k4j, "run", "gemm", "--backend", backend, "--a", paths["a"], "--b", paths["b"],
           "--c", paths["c"], "--alpha", repr(alpha), "--beta", repr(beta), "--dtype", dtype, "--out", paths["y"]]
    if out_dtype:
        cmd += ["--out-dtype", out_dtype]
    if trans_a:
        cmd.append("--trans-a")
    if trans_b:
        cmd.append("--trans-b")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return f"k4j exited {result.returncode}: {result.stderr.strip()}"
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
        ref = ((ref + 2 ** 31) % 2 ** 32 - 2 ** 31).astype(np.float64)
        bad = np.count_nonzero(y != ref)
        return None if bad == 0 else f"{bad} elements differ from the exact result"
    ra, rb = round_to(op_a, dtype), round_to(op_b, dtype)
    cc = c.astype(np.float64)
    ref = alpha * (ra @ rb) + beta * cc
    magnitude = abs(alpha) * (np.abs(ra) @ np.abs(rb)) + abs(beta * cc)
    u_out = UNIT_ROUNDOFF[out_dtype or "fp32"]
    allowed = 2 * (k * U32 + 2 * U32) * magnitude + u_out * np.abs(ref) + 2.0 ** -25
    ratio = np.max(np.abs(y - ref) / allowed)
    return None if ratio <= 1 else f"max |y - ref| / bound = {ratio:.3g}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--dtype", default="fp32,fp16,bf16,int8", help="the input dtypes to check, comma-separated")
    parser.add_argument("--k4j", default=os.path.join(ROOT, "k4j"))
    args = parser.parse_args()
    dtypes = args.dtype.split(",")
    unknown = [d for d in dtypes if d not in ("fp32", "fp16", "bf16", "int8")]
    if unknown:
        parser.error(f"--dtype: unknown {','.join(unknown)} (fp32, fp16, bf16, int8)")
    cases = []
    for dtype, out in (("fp32", None), ("fp16", None), ("fp16", "fp16"), ("bf16", None), ("bf16", "bf16"), ("int8", None)):
        if dtype not in dtypes:
            continue
        for m, n, k, ta, tb in ((67, 45, 129, False, False), (33, 17, 257, True, True), (1, 127, 7, False, True)):
            alpha, beta = (3.0, -2.0) if dtype == "int8" else (0.7, 1.3)
            cases.append((dtype, out, m, n, k, ta, tb, alpha, beta))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed, (dtype, out, m, n, k, ta, tb, alpha, beta) in enumerate(cases):
            problem = run_case(args.k4j, args.backend, dtype, out, m, n, k, ta, tb, alpha, beta, seed, tmp)
            label = f"{dtype}->{out or ('int32' if dtype == 'int8' else 'fp32')} {m}x{n}x{k} " \
                    f"{'T' if ta else 'N'}{'T' if tb else 'N'}"
            print(f"{'PASS' if problem is None else 'FAIL'} {label}" + ("" if problem is None else f": {problem}"))
            failures += problem is not None
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
