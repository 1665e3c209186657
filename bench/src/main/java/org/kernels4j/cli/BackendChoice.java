package org.kernels4j.cli;

import java.util.function.Function;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.Kernels;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * What {@code --backend NAME} means for run, validate and bench: "auto" is dispatch's choice for the
 * spec; a name that no backend has is bad input (exit 2); a backend that exists but cannot run (not
 * loaded, no device, spec not supported) is unavailable (exit 3) with its reason, never replaced by another.
 */
final class BackendChoice {
    static final String AUTO = "auto";

    private BackendChoice() {
    }

    /** The backend to run {@code spec} on. */
    static Backend forSpec(Kernels kernels, String name, GemmSpec spec) {
        return AUTO.equals(name) ? kernels.select(spec) : supporting(named(kernels, name), backend -> backend.supports(spec));
    }

    /** The backend to run the convolution {@code spec} on. */
    static Backend forSpec(Kernels kernels, String name, Conv2dSpec spec) {
        return AUTO.equals(name) ? kernels.select(spec) : supporting(named(kernels, name), backend -> backend.supports(spec));
    }

    private static Backend supporting(Backend backend, Function<Backend, Availability> supports) {
        Availability supported = supports.apply(backend);
        if (!supported.available()) {
            throw new BackendUnavailableException(backend.name(), supported.reason());
        }
        return backend;
    }

    /** The available backend called {@code name}. */
    static Backend named(Kernels kernels, String name) {
        try {
            return kernels.backend(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--backend: unknown backend '" + name + "' (known: "
                    + String.join(", ", kernels.devices().stream().map(d -> d.backend()).toList()) + ", or auto)");
        }
    }
}
