package org.kernels4j.bench.jmh;

import java.util.NoSuchElementException;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Layout;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvLayerSet;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.spi.Backend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ResNet-50 convolution layers ({@code resnet50_conv.csv}, by name) per dtype × batch × layout × thread count ×
 * implementation:
 * <ul>
 *   <li>{@code vector-cpu}: our Vector API backend with {@code threads} threads;</li>
 *   <li>{@code onednn}: oneDNN's primitive for the same convolution with {@code threads} OpenMP threads, the weights
 *       reordered per call from the same plain layout as ours — the peer.</li>
 * </ul>
 * Combinations an implementation cannot run (oneDNN's INT8 is not compared, its BF16/FP16 need AVX-512 extensions; a
 * backend unavailable here) fail in setup with the reason, and JMH goes on with the others; choose combinations with
 * {@code -p}, e.g. {@code ./k4j bench --jmh ConvBenchmark -p implementation=vector-cpu,onednn -p dtype=fp32}.
 *
 * <p>The primary score is calls per second; the secondary score {@code conv:gigaOps} is GFLOP/s for the floating
 * dtypes and GOP/s for INT8 (2·N·K·C/groups·R·S·P·Q operations per call).
 */
public class ConvBenchmark extends ThroughputBenchmark {
    @Param({"conv1", "res2_branch2b", "res3_branch2c", "res4_branch2b", "res5_branch2a"})
    public String layer;

    @Param({"fp32", "fp16", "bf16", "int8"})
    public String dtype;

    @Param({"1"})
    public int batch;

    @Param({"nhwc"})
    public String layout;

    @Param({"2"})
    public int threads;

    @Param({"vector-cpu", "onednn"})
    public String implementation;

    private Kernels kernels;
    private OneDnnPeer peer;
    private OneDnnPeer.Prepared prepared;
    private ConvOperands operands;
    private Runnable call;
    private double gigaOpsPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        Conv2dSpec spec = spec(layer, batch, layout, dtype);
        gigaOpsPerCall = spec.flops() * 1e-9;
        operands = ConvOperands.create(spec, 42);
        call = switch (implementation) {
            case "vector-cpu" -> backendCall(spec);
            case "onednn" -> peerCall(spec);
            default -> throw new IllegalArgumentException("implementation: unknown '" + implementation + "' (vector-cpu or onednn)");
        };
    }

    /**
     * The convolution one combination of the parameters runs: ResNet-50 layer {@code layer} on {@code batch} images.
     *
     * @throws IllegalArgumentException naming the parameter when the layer, batch, layout or dtype is unknown or invalid
     */
    public static Conv2dSpec spec(String layer, long batch, String layout, String dtype) {
        Objects.requireNonNull(layer, "layer");
        if (batch < 1) {
            throw new IllegalArgumentException("batch: " + batch + " is less than 1");
        }
        ConvLayer named;
        try {
            named = ConvLayerSet.named(ConvLayerSet.resnet50(), layer).getFirst();
        } catch (NoSuchElementException e) {
            throw new IllegalArgumentException("layer: '" + layer + "' is not a ResNet-50 layer of " + ConvLayerSet.RESNET50, e);
        }
        return named.spec(batch, Layout.fromCliName(layout), DType.fromCliName(dtype));
    }

    private Runnable backendCall(Conv2dSpec spec) {
        kernels = Kernels.open(threads);
        Backend backend = kernels.backend("vector-cpu");
        requireSupported("vector-cpu", dtype, backend.supports(spec));
        return () -> backend.conv2d(spec, operands.x(), operands.w(), operands.bias(), operands.y());
    }

    private Runnable peerCall(Conv2dSpec spec) {
        peer = OneDnnPeer.open(threads);
        requireSupported("onednn", dtype, peer.supports(spec));
        prepared = peer.prepare(spec);
        return () -> prepared.run(operands.x(), operands.w(), operands.bias(), operands.y());
    }

    @Benchmark
    public void conv(Work work) {
        call.run();
        work.gigaOps += gigaOpsPerCall;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (prepared != null) {
            prepared.close();
        }
        if (peer != null) {
            peer.close();
        }
        operands.close();
        if (kernels != null) {
            kernels.close();
        }
    }
}
