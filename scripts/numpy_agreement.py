"""What the numpy agreement scripts share: the DESIGN.md rounding model of the inputs and outputs, running the k4j
command line, judging its output against a reference, and the PASS/FAIL tally over the cases."""
import argparse
import os
import subprocess

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
U32 = 2.0 ** -24
UNIT_ROUNDOFF = {"fp32": U32, "fp16": 2.0 ** -11, "bf16": 2.0 ** -8}
INPUT_DTYPES = ("fp32", "fp16", "bf16", "int8")


def command_line(doc):
    """The options every agreement script takes: --backend NAME (default auto), --dtype LIST (the input dtypes to check,
    default all) and --k4j PATH (the launcher to check, default the source tree's; e.g. that of a `k4j dist` folder).
    DOC's first line describes the script in --help."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--dtype", default=",".join(INPUT_DTYPES), help="the input dtypes to check, comma-separated")
    parser.add_argument("--k4j", default=os.path.join(ROOT, "k4j"))
    options = parser.parse_args()
    options.dtype = options.dtype.split(",")
    unknown = [d for d in options.dtype if d not in INPUT_DTYPES]
    if unknown:
        parser.error(f"--dtype: unknown {','.join(unknown)} ({', '.join(INPUT_DTYPES)})")
    return options


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


def wrap_int32(exact):
    """The int64 results wrapped to int32 (two's complement), as float64."""
    return ((exact + 2 ** 31) % 2 ** 32 - 2 ** 31).astype(np.float64)


def run_k4j(k4j, args, out_path):
    """Runs the launcher K4J with ARGS after removing OUT_PATH (so a stale output cannot pass); None when it succeeded,
    else why not."""
    if os.path.exists(out_path):
        os.remove(out_path)
    result = subprocess.run([k4j] + args, capture_output=True, text=True)
    return None if result.returncode == 0 else f"k4j exited {result.returncode}: {result.stderr.strip()}"


def exact_mismatch(y, ref):
    """None when Y equals REF everywhere, else how many elements differ."""
    bad = np.count_nonzero(y != ref)
    return None if bad == 0 else f"{bad} elements differ from the exact result"


def bound_violation(y, ref, allowed):
    """None when every |Y - REF| is within ALLOWED, else the worst ratio to it."""
    ratio = np.max(np.abs(y - ref) / allowed)
    return None if ratio <= 1 else f"max |y - ref| / bound = {ratio:.3g}"


def report(cases, check, label):
    """Prints PASS or FAIL per case (CHECK(seed, case) returns None or the problem), then the totals; the exit status."""
    failures = 0
    for seed, case in enumerate(cases):
        problem = check(seed, case)
        print(f"{'PASS' if problem is None else 'FAIL'} {label(case)}" + ("" if problem is None else f": {problem}"))
        failures += problem is not None
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0
