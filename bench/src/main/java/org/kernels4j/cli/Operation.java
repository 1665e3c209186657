package org.kernels4j.cli;

import java.util.List;

/** The operations k4j names; validate covers GEMM and conv2d in this version, all-reduce answers bad input (exit 2) there. */
final class Operation {
    static final String GEMM = "gemm";
    static final String CONV2D = "conv2d";
    static final String ALLREDUCE = "allreduce";
    private static final List<String> IMPLEMENTED = List.of(GEMM, CONV2D);

    private Operation() {
    }

    /**
     * Checks that {@code name} is an implemented operation and returns it.
     *
     * @param where how the user gave it ("--op")
     */
    static String require(String name, String where) {
        if (IMPLEMENTED.contains(name)) {
            return name;
        }
        if (name.equals("allreduce")) {
            throw new BadInputException(name + " is not implemented yet in this version of k4j");
        }
        throw new BadInputException(where + ": unknown operation '" + name + "' (gemm, conv2d or allreduce)");
    }
}
