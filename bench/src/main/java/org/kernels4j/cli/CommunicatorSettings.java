package org.kernels4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.Reducer;

/**
 * The one place where the collective commands turn {@code --backend} and {@code --algorithm} into
 * {@link CommunicatorOptions}. {@code --backend auto} takes {@link Kernels#reducer()} (a backend's SIMD
 * reduction step when one offers it, else the scalar one); a named backend must be known (else exit 2),
 * available (else exit 3 with its reason) and offer a reduction step (else exit 2 naming it): it is never
 * silently replaced by another.
 */
final class CommunicatorSettings {
    static final String BACKEND_HELP = "whose reduction step combines the data (default auto: the fastest offered)";
    static final String ALGORITHM_HELP = "all-reduce algorithm: auto (recursive doubling up to "
            + Algorithm.SMALL_MESSAGE_BYTES / 1024 + " KiB; above, halving-doubling for 4, 8, 16... ranks, ring for others),"
            + " ring, recursive-doubling, halving-doubling (power-of-two rank counts; others run the ring) or tree";

    private CommunicatorSettings() {
    }

    /** {@code --algorithm}: auto (the default), ring, recursive-doubling, halving-doubling or tree. */
    static Algorithm algorithm(Options options) {
        String name = options.string("algorithm", cliName(Algorithm.AUTO));
        for (Algorithm algorithm : Algorithm.values()) {
            if (cliName(algorithm).equals(name)) {
                return algorithm;
            }
        }
        throw new BadInputException("--algorithm: unknown algorithm '" + name + "' ("
                + Arrays.stream(Algorithm.values()).map(CommunicatorSettings::cliName).collect(Collectors.joining(", ")) + ")");
    }

    /** "recursive-doubling" for RECURSIVE_DOUBLING. */
    static String cliName(Algorithm algorithm) {
        return algorithm.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The options every rank's communicator gets: the reduction step {@code backendName} names, and {@code algorithm}. */
    static CommunicatorOptions communicatorOptions(Kernels kernels, String backendName, Algorithm algorithm) {
        return CommunicatorOptions.defaults().withAlgorithm(algorithm).withReducer(reducer(kernels, backendName));
    }

    /** How the table and messages name a reduction step: its class ("ScalarReducer"). */
    static String describe(Reducer reducer) {
        return reducer.getClass().getSimpleName();
    }

    private static Reducer reducer(Kernels kernels, String backendName) {
        if (BackendChoice.AUTO.equals(backendName)) {
            return kernels.reducer();
        }
        return BackendChoice.named(kernels, backendName).reducer().orElseThrow(() -> new BadInputException(
                "--backend: " + backendName + " offers no reduction step for collectives (backends that do: "
                        + String.join(", ", backendsWithReducer(kernels)) + "; or auto)"));
    }

    private static List<String> backendsWithReducer(Kernels kernels) {
        return kernels.devices().stream()
                .filter(device -> device.availability().available())
                .map(Device::backend)
                .filter(name -> kernels.backend(name).reducer().isPresent())
                .toList();
    }
}
