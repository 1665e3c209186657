package org.kernels4j.cli;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.report.Measurement;

/**
 * oneDNN as the convolution peer: per spec its primitive is made once, then timed like ours (each call reorders the
 * weights and convolves, the same work as a kernels4j call on plain weights). A dtype oneDNN does not run on this CPU
 * (INT8 always; see {@link OneDnnPeer}) gets a short note instead. The caller keeps and closes the {@link OneDnnPeer}.
 */
final class OneDnnConv2dPeer implements Conv2dPeer {
    private final OneDnnPeer library;

    /** @param library an available oneDNN peer */
    OneDnnConv2dPeer(OneDnnPeer library) {
        Objects.requireNonNull(library, "library");
        if (!library.availability().available()) {
            throw new IllegalArgumentException("library: oneDNN is unavailable: " + library.availability().reason());
        }
        this.library = library;
    }

    @Override
    public Outcome time(Conv2dSpec spec, ConvOperands operands, GemmTimer timer) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(operands, "operands");
        Objects.requireNonNull(timer, "timer");
        Set<DType> compared = library.device().dtypes();
        if (!compared.contains(spec.inputType())) {
            // One short note for a whole dtype: the device list says which dtypes oneDNN runs here, the docs why.
            return new Outcome(null, "no peer: oneDNN is compared in " + compared.stream().sorted().map(DType::cliName)
                    .collect(Collectors.joining(", ")) + " only on this CPU");
        }
        double work = spec.flops() * 1e-9;
        try (OneDnnPeer.Prepared prepared = library.prepare(spec)) {
            TimedCall run = TimedCall.of(() -> timer.time(() -> prepared.run(operands.x(), operands.w(), operands.bias(), operands.y())));
            if (run.timing() == null) {
                return new Outcome(null, prepared.label() + " failed: " + run.failure());
            }
            return new Outcome(new Measurement.PeerResult(prepared.label(), run.timing().medianRate(work), run.timing().lowRate(work),
                    run.timing().highRate(work)), "");
        } catch (BackendUnavailableException e) {
            return new Outcome(null, e.getMessage());
        }
    }
}
