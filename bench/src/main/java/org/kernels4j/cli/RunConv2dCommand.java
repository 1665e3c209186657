package org.kernels4j.cli;

import java.io.IOException;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyWriter;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * {@code k4j run conv2d}: Y = conv2d(X, W) + bias on .npy files, in the layout {@code --layout} names (NCHW: X
 * {@code [N, C, H, W]}, W {@code [K, C/groups, R, S]}; NHWC: X {@code [N, H, W, C]}, W {@code [K, R, S, C/groups]}).
 *
 * <p>{@code --dtype} is the compute input dtype (default: from X's data, as for {@code run gemm}); float data is rounded
 * to it, and int8 compute takes int8 data. The bias is {@code [K]}: float data for floating compute (used as FP32),
 * int32 or int8 data for int8 compute (used as INT32). The output is float32 for floating compute unless
 * {@code --out-dtype} says fp16 (written as float16) or bf16 (written as the float32 values of the BF16 results), and
 * int32 for int8 (or float32 with {@code --out-dtype fp32}). {@code --stride} and {@code --dilation} take one value or
 * (height, width); {@code --pad} one value, (vertical, horizontal) or (top, bottom, left, right). Every check runs
 * before the convolution, and the output appears only complete.
 */
final class RunConv2dCommand implements Command {
    @Override
    public OptionParser parser() {
        return KernelRunTarget.parser("run conv2d", "X", parser -> parser
                .value("x", "X.npy", "input, [N, C, H, W] (nchw) or [N, H, W, C] (nhwc)")
                .value("w", "W.npy", "filters, [K, C/groups, R, S] (nchw) or [K, R, S, C/groups] (nhwc)")
                .value("bias", "B.npy", "bias [K], added to every output of its channel")
                .value("stride", "S[,S]", "stride, or height,width (default 1)")
                .value("pad", "P|P,P|T,B,L,R", "zero padding: all sides, vertical,horizontal, or top,bottom,left,right (default 0)")
                .value("dilation", "D[,D]", "dilation, or height,width (default 1)")
                .value("groups", "G", "groups; C and K must be multiples (C = K = G: depthwise) (default 1)")
                .value("layout", "nchw|nhwc", "tensor layout (default nchw)"));
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        KernelRunTarget target = KernelRunTarget.of(options);
        Geometry geometry = Geometry.of(options);
        DType requested = options.has("dtype") ? GemmDtypes.requireInput("dtype", options.dtype("dtype", null), Operation.CONV2D) : null;
        try (NpyArray xFile = NpyInput.read("x", options.requiredPath("x"));
             NpyArray wFile = NpyInput.read("w", options.requiredPath("w"));
             NpyArray biasFile = options.has("bias") ? NpyInput.read("bias", options.optionalPath("bias")) : null) {
            DType dtype = requested != null ? requested : InputData.inferred("x", xFile, "conv2d");
            String dtypeOrigin = "--dtype " + dtype.cliName() + (requested != null ? "" : " (from --x)");
            InputData.requireKind("x", xFile, dtype, dtypeOrigin);
            InputData.requireKind("w", wFile, dtype, dtypeOrigin);
            Conv2dSpec spec = spec(options, xFile, wFile, biasFile != null, geometry, dtype);
            if (biasFile != null) {
                requireBias(biasFile, spec);
            }
            try (Tensor x = xFile.toTensor(dtype);
                 Tensor w = wFile.toTensor(dtype);
                 Tensor bias = biasFile != null ? biasFile.toTensor(spec.biasType()) : null;
                 Tensor y = Tensor.allocate(spec.outputType(), spec.yShape());
                 Kernels kernels = Kernels.open(new BackendContext(target.threads()))) {
                Backend backend = BackendChoice.forSpec(kernels, target.backend(), spec);
                long start = System.nanoTime();
                backend.conv2d(spec, x, w, bias, y);
                double millis = (System.nanoTime() - start) * 1e-6;
                NpyWriter.write(target.out(), y);
                terminal.out().printf("conv2d %s x %s w %s%s %s→%s ran on %s (%s) in %.3f ms; wrote %s (%s %s)%n",
                        geometry.layout().cliName(), NpyArray.formatShape(spec.xShape()), NpyArray.formatShape(spec.wShape()),
                        biasFile != null ? " + bias" : "", dtype.cliName(), spec.outputType().cliName(), backend.name(),
                        backend.device().name(), millis, target.out(), NpyDType.forTensor(spec.outputType()).numpyName(),
                        NpyArray.formatShape(y.shape()));
            }
        }
        return 0;
    }

    /** Stride, padding (top, bottom, left, right), dilation, groups and layout as the options give them. */
    private record Geometry(int[] stride, int[] padding, int[] dilation, int groups, Layout layout) {
        static Geometry of(Options options) {
            int[] stride = pair(options, "stride", 1, "S or height,width");
            int[] dilation = pair(options, "dilation", 1, "D or height,width");
            List<Integer> pads = options.intList("pad", List.of(0), 0);
            int[] padding = switch (pads.size()) {
                case 1 -> new int[] {pads.get(0), pads.get(0), pads.get(0), pads.get(0)};
                case 2 -> new int[] {pads.get(0), pads.get(0), pads.get(1), pads.get(1)};
                case 4 -> new int[] {pads.get(0), pads.get(1), pads.get(2), pads.get(3)};
                default -> throw new BadInputException("--pad: '" + options.string("pad", "") + "' has " + pads.size()
                        + " values; give 1 (all sides), 2 (vertical,horizontal) or 4 (top,bottom,left,right)");
            };
            int groups = options.intValue("groups", 1, 1);
            Layout layout;
            try {
                layout = Layout.fromCliName(options.string("layout", Layout.NCHW.cliName()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--layout: '" + options.string("layout", "") + "' is not nchw or nhwc");
            }
            return new Geometry(stride, padding, dilation, groups, layout);
        }

        private static int[] pair(Options options, String name, int minimum, String form) {
            List<Integer> values = options.intList(name, List.of(minimum), minimum);
            return switch (values.size()) {
                case 1 -> new int[] {values.get(0), values.get(0)};
                case 2 -> new int[] {values.get(0), values.get(1)};
                default -> throw new BadInputException("--" + name + ": '" + options.string(name, "") + "' has " + values.size()
                        + " values; give " + form);
            };
        }

        String describe() {
            return "--stride " + stride[0] + "," + stride[1] + ", --pad " + padding[0] + "," + padding[1] + "," + padding[2] + ","
                    + padding[3] + ", --dilation " + dilation[0] + "," + dilation[1] + ", --groups " + groups + ", --layout "
                    + layout.cliName();
        }
    }

    private static Conv2dSpec spec(Options options, NpyArray x, NpyArray w, boolean bias, Geometry geometry, DType dtype) {
        requireRank4("x", x, geometry.layout().cliName() + " input " + (geometry.layout() == Layout.NCHW ? "[N, C, H, W]" : "[N, H, W, C]"));
        requireRank4("w", w, geometry.layout().cliName() + " filters "
                + (geometry.layout() == Layout.NCHW ? "[K, C/groups, R, S]" : "[K, R, S, C/groups]"));
        Layout layout = geometry.layout();
        long[] xs = x.shape();
        long[] ws = w.shape();
        int channelAxis = layout.channelAxis();
        int heightAxis = layout.heightAxis();
        long channels = xs[channelAxis];
        long perFilter = ws[channelAxis];
        int groups = geometry.groups();
        if (perFilter * groups != channels) {
            String needed = channels % groups == 0 ? Long.toString(channels / groups) : channels + "/" + groups + " (not a whole number)";
            throw new BadInputException(NpyInput.named("w", w) + " has shape " + NpyArray.formatShape(ws) + " (" + layout.cliName()
                    + "): " + perFilter + " channels per filter, but " + NpyInput.named("x", x) + " " + NpyArray.formatShape(xs)
                    + " has " + channels + " channels, so --groups " + groups + " needs " + needed + " per filter");
        }
        DType outType = options.has("out-dtype") ? options.dtype("out-dtype", null) : Conv2dSpec.defaultOutputType(dtype);
        try {
            return Conv2dSpec.builder().layout(layout).n(xs[0]).c(channels).h(xs[heightAxis]).w(xs[heightAxis + 1])
                    .k(ws[0]).r(ws[heightAxis]).s(ws[heightAxis + 1]).groups(geometry.groups())
                    .stride(geometry.stride()[0], geometry.stride()[1])
                    .padding(geometry.padding()[0], geometry.padding()[1], geometry.padding()[2], geometry.padding()[3])
                    .dilation(geometry.dilation()[0], geometry.dilation()[1]).bias(bias).inputType(dtype).outputType(outType).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("run conv2d: " + e.getMessage() + " (--x " + x.source() + " " + NpyArray.formatShape(xs)
                    + ", --w " + w.source() + " " + NpyArray.formatShape(ws) + ", " + geometry.describe() + ", --dtype "
                    + dtype.cliName() + ", --out-dtype " + outType.cliName() + ")");
        }
    }

    private static void requireRank4(String option, NpyArray file, String expected) {
        if (file.rank() != 4) {
            throw new BadInputException(NpyInput.named(option, file) + " has shape " + NpyArray.formatShape(file.shape())
                    + " (rank " + file.rank() + ") but conv2d needs the rank-4 " + expected);
        }
    }

    private static void requireBias(NpyArray bias, Conv2dSpec spec) {
        boolean integer = spec.biasType() == DType.INT32;
        if (integer == bias.dtype().isFloatingPoint()) {
            throw new BadInputException(NpyInput.named("bias", bias) + " holds " + bias.dtype().numpyName() + " data but the "
                    + spec.inputType().cliName() + " convolution needs " + (integer ? "an int32 (or int8)" : "a float") + " bias");
        }
        long[] shape = bias.shape();
        if (shape.length != 1 || shape[0] != spec.k()) {
            throw new BadInputException(NpyInput.named("bias", bias) + " has shape " + NpyArray.formatShape(shape)
                    + " but the bias must be [K] = (" + spec.k() + ",), one value per filter");
        }
    }
}
