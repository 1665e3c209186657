#!/usr/bin/env bash
# The CUDA backend's check on a machine with an NVIDIA GPU, in one call: the CUDA test classes (required to
# run, K4J_REQUIRE=cuda, so a missing GPU fails instead of skipping), then the GEMM timed on device-resident
# tensors beside cuBLAS through PyTorch on the same GPU in the same call.
#
# The GPU machine of the device tool has PyTorch, nvcc and the NVIDIA driver but no JDK and no Maven
# repository, so the Java side travels with the call:
#
#   1. here (any machine with JDK 25 and the Maven repository):   scripts/gpu-check.sh prepare
#      writes .gpu-check/ (ignored by .gitignore) with `k4j dist` (a jlinked JDK 25 runtime, the command line's jars
#      and its launcher), then adds the CUDA test classes (test-classes/) and the test class path beyond those jars
#      (test-lib/), about 56 MiB;
#   2. on the GPU machine:                                        scripts/gpu-check.sh run
#      (the device tool sends the checkout its session started in: this branch must be there, .gpu-check too)
#      with the device tool: run(command="bash scripts/gpu-check.sh run", carry=[".gpu-check"], timeout_s=600); its steps stop by 585 s.
#      Logs go to $OUT (or .gpu-check/out when OUT is unset): tests.log, bench.txt (GEMM and conv, k4j and torch lines).
#
# Environment for run: K4J_GPU_SIZES (default 1024,4096,8192), K4J_GPU_DTYPES (default fp32,fp16,bf16,int8),
# K4J_GPU_REPS (default 10), K4J_GPU_TESTS (default: every CUDA test class below), K4J_GPU_LAYERS (ResNet-50
# convolutions NAME:C:H:K:R:STRIDE:PAD, default below), K4J_GPU_BATCH (default 32).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$root/.gpu-check
layers_default=conv1:3:224:64:7:2:3,res2_1x1:64:56:64:1:1:0,res2_3x3:64:56:64:3:1:1,res3_3x3:128:28:128:3:1:1,\
res3_down:256:56:512:1:2:0,res4_3x3:256:14:256:3:1:1,res5_3x3:512:7:512:3:1:1
java_options=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$bundle/lib/*:$bundle/test-lib/*:$bundle/test-classes")
tests_default="org.kernels4j.gpu.cuda.CudaBackendTest org.kernels4j.gpu.cuda.CudaDeviceTensorTest
org.kernels4j.gpu.cuda.CudaGemmConformanceTest org.kernels4j.gpu.cuda.CudaConv2dConformanceTest
org.kernels4j.gpu.cuda.CudaConvTensorCoreTest"

prepare() {
    cd "$root"
    rm -rf "$bundle"
    ./k4j dist --out "$bundle"
    mkdir "$bundle/test-lib"
    # One reactor build (-am) so that sibling modules come from this tree, never from ~/.m2.
    ./mvnw -q -o -B -pl gpu -am package -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$bundle/classpath.txt" -Dmdep.appendOutput=true
    # Only what the dist's lib lacks (the test jars and their dependencies): its JCuda natives are already cut down.
    tr ':' '\n' < "$bundle/classpath.txt" | sort -u | while read -r entry; do
        if [[ -n $entry && -f $entry && ! -e $bundle/lib/$(basename "$entry") ]]; then
            cp "$entry" "$bundle/test-lib/"
        fi
    done
    rm "$bundle/classpath.txt"
    cp -r gpu/target/test-classes "$bundle/test-classes"
    du -sh "$bundle/runtime" "$bundle/lib" "$bundle/test-lib" "$bundle/test-classes"
    du -sh "$bundle"
}

# The timings, k4j's and torch's in turn, GEMM then conv; fails when any of them did, after running them all.
bench() {
    local java=$1 dtypes=$2 sizes=$3 reps=$4 failed=0
    local layers=${K4J_GPU_LAYERS:-$layers_default} batch=${K4J_GPU_BATCH:-32}
    timeout 120 "$java" "${java_options[@]}" org.kernels4j.gpu.cuda.CudaGemmTiming "$dtypes" nt,nn "$sizes" "$reps" || failed=1
    timeout 60 python3 "$root/scripts/gpu_bench_torch.py" "$dtypes" nt,nn "$sizes" "$reps" || failed=1
    timeout 60 "$java" "${java_options[@]}" org.kernels4j.gpu.cuda.CudaConvTiming fp32,fp16 nhwc,nchw "$layers" "$batch" "$reps" || failed=1
    timeout 45 python3 "$root/scripts/gpu_bench_torch.py" conv fp32,fp16 nhwc,nchw "$layers" "$batch" "$reps" || failed=1
    return $failed
}

run() {
    local out=${OUT:-$bundle/out}
    local java=$bundle/runtime/bin/java
    local sizes=${K4J_GPU_SIZES:-1024,4096,8192}
    local dtypes=${K4J_GPU_DTYPES:-fp32,fp16,bf16,int8}
    local reps=${K4J_GPU_REPS:-10}
    [[ -x $java ]] || { echo "gpu-check: $java missing; run 'scripts/gpu-check.sh prepare' first and carry .gpu-check" >&2; exit 3; }
    mkdir -p "$out"
    nvidia-smi -L || true
    local status=0
    # shellcheck disable=SC2086
    K4J_REQUIRE=cuda timeout 300 "$java" "${java_options[@]}" org.kernels4j.gpu.cuda.CudaCheck ${K4J_GPU_TESTS:-$tests_default} \
        2>&1 | tee "$out/tests.log" || status=1
    bench "$java" "$dtypes" "$sizes" "$reps" 2>&1 | tee "$out/bench.txt" || status=1
    return $status
}

case ${1:-} in
    prepare) prepare ;;
    run) run ;;
    *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
