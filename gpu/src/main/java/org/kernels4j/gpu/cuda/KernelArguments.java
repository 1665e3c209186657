package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The kernelParams array of one cuLaunchKernel call, built in the order of the kernel's parameters. Each
 * value must have the C type of its parameter: device pointers, long (long long), int, float, or an int
 * array for a struct of ints passed by value.
 *
 * <p>Not thread-safe: one builder per launch.
 */
final class KernelArguments {
    private final List<Pointer> values = new ArrayList<>();

    /** A device pointer; {@code null} passes NULL (an unused operand or an absent bias). */
    KernelArguments pointer(CUdeviceptr value) {
        values.add(Pointer.to(value == null ? new CUdeviceptr() : value));
        return this;
    }

    KernelArguments longValue(long value) {
        values.add(Pointer.to(new long[] {value}));
        return this;
    }

    KernelArguments intValue(int value) {
        values.add(Pointer.to(new int[] {value}));
        return this;
    }

    KernelArguments floatValue(float value) {
        values.add(Pointer.to(new float[] {value}));
        return this;
    }

    /** A struct made only of ints, passed by value (its bytes are the ints in order). */
    KernelArguments intStruct(int[] fields) {
        Objects.requireNonNull(fields, "fields");
        values.add(Pointer.to(fields.clone()));
        return this;
    }

    /** How many parameters were added. */
    int count() {
        return values.size();
    }

    Pointer toKernelParams() {
        return Pointer.to(values.toArray(new NativePointerObject[0]));
    }
}
