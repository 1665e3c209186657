package org.kernels4j.cli;

/**
 * A problem with what the user asked for (arguments, input files, output path): k4j exits with code 2
 * and prints the message, one line naming the problem and the values, without a stack trace.
 */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
