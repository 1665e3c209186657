package org.kernels4j.cli;

/**
 * The operations k4j names. Validation covers GEMM only in this version; the others answer bad input
 * (exit 2) saying so there.
 */
final class Operation {
    static final String GEMM = "gemm";
    static final String ALLREDUCE = "allreduce";

    private Operation() {
    }

    /**
     * Checks that {@code name} is GEMM.
     *
     * @param where how the user gave it ("--op", or the command "run")
     */
    static void requireGemm(String name, String where) {
        switch (name) {
            case GEMM -> { }
            case "conv2d", "allreduce" -> throw new BadInputException(name + " is not implemented yet in this version of k4j");
            default -> throw new BadInputException(where + ": unknown operation '" + name + "' (gemm, conv2d or allreduce)");
        }
    }
}
