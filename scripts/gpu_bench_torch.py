#!/usr/bin/env python3
"""The GEMM peer for scripts/gpu-check.sh: cuBLAS through PyTorch, timed with CUDA events.

Prints one line per dtype, layout and size in CudaGemmTiming's format, "torch DTYPE LAYOUT N median_ms X best_ms Y
tflops Z", so that the two can be set side by side. FP32 runs with TF32 disabled (the k4j FP32 kernel is true FP32);
FP16 and BF16 run torch.matmul, which writes its input dtype (CudaGemmTiming writes the same); INT8 runs
torch._int_mm (INT32 output). Layout nn multiplies A (m x k) by B (k x n); nt by B stored n x k, transposed.

Usage: gpu_bench_torch.py fp32,fp16,bf16,int8 nn,nt 1024,4096,8192 [reps]
       gpu_bench_torch.py conv fp32,fp16 nhwc,nchw NAME:C:H:K:R:STRIDE:PAD,... BATCH [reps]
The second form times torch.nn.functional.conv2d (cuDNN, benchmark mode) like CudaConvTiming; INT8 is skipped
there (PyTorch has no INT8 convolution on CUDA).
"""
import sys

import torch

DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16, "int8": torch.int8}
WARMUP = 3


def operands(dtype, layout, n):
    if dtype == torch.int8:
        a = torch.randint(-128, 128, (n, n), dtype=torch.int8, device="cuda")
        b = torch.randint(-128, 128, (n, n), dtype=torch.int8, device="cuda")
    else:
        a = torch.rand((n, n), device="cuda").mul_(2).sub_(1).to(dtype)
        b = torch.rand((n, n), device="cuda").mul_(2).sub_(1).to(dtype)
    return a, (b.t() if layout == "nt" else b)


def multiply(a, b):
    return torch._int_mm(a, b) if a.dtype == torch.int8 else torch.matmul(a, b)


def time_ms(a, b, reps):
    for _ in range(WARMUP):
        multiply(a, b)
    samples = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        multiply(a, b)
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end))
    return sorted(samples)


def time_conv_ms(x, w, stride, pad, reps):
    def run():
        return torch.nn.functional.conv2d(x, w, stride=stride, padding=pad)
    for _ in range(WARMUP):
        run()
    samples = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        run()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end))
    return sorted(samples)


def conv_main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    batch = int(argv[4])
    reps = int(argv[5]) if len(argv) > 5 else 10
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    print("# torch", torch.__version__, "cudnn", torch.backends.cudnn.version(), torch.cuda.get_device_name(0), flush=True)
    for name in argv[1].split(","):
        if name == "int8":
            continue
        for layout in argv[2].split(","):
            memory = torch.channels_last if layout == "nhwc" else torch.contiguous_format
            for layer in argv[3].split(","):
                label, c, h, k, r, stride, pad = layer.split(":")
                c, h, k, r, stride, pad = (int(v) for v in (c, h, k, r, stride, pad))
                x = torch.rand((batch, c, h, h), device="cuda").sub_(0.5).to(DTYPES[name]).to(memory_format=memory)
                w = torch.rand((k, c, r, r), device="cuda").sub_(0.5).to(DTYPES[name]).to(memory_format=memory)
                samples = time_conv_ms(x, w, stride, pad, reps)
                median = samples[len(samples) // 2]
                p = (h + 2 * pad - r) // stride + 1
                flops = 2.0 * batch * k * c * r * r * p * p
                print(f"torch conv {name} {layout} {label} median_ms {median:.3f} best_ms {samples[0]:.3f} "
                      f"tflops {flops / (median * 1e-3) / 1e12:.1f}", flush=True)


def main(argv):
    if len(argv) > 1 and argv[1] == "conv":
        conv_main(argv[1:])
        return
    if len(argv) < 4:
        sys.exit(__doc__)
    reps = int(argv[4]) if len(argv) > 4 else 10
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    print("# torch", torch.__version__, torch.cuda.get_device_name(0), flush=True)
    for name in argv[1].split(","):
        for layout in argv[2].split(","):
            for size in argv[3].split(","):
                n = int(size)
                a, b = operands(DTYPES[name], layout, n)
                samples = time_ms(a, b, reps)
                median = samples[len(samples) // 2]
                print(f"torch {name} {layout} {n} median_ms {median:.3f} best_ms {samples[0]:.3f} "
                      f"tflops {2.0 * n ** 3 / (median * 1e-3) / 1e12:.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv)
