package org.kernels4j.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Finds a system library bound through the FFM API (Open MPI, OpenBLAS, oneDNN): the first of several candidate files
 * that loads, is the library meant (files of the same name may be another implementation, e.g. MPICH's libmpi), and
 * binds. Whatever fails is kept as a reason per candidate, so that "unavailable" says what was tried and why each try
 * failed. Libraries are loaded into the global arena: they stay loaded for the life of the JVM.
 */
public final class NativeLibraryCandidates {
    /** Binds the entry points of a loaded candidate; a failure makes it the next candidate's turn. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(String candidate, SymbolLookup lookup) throws Throwable;
    }

    /**
     * The bound library, or, when none bound, one reason per candidate tried ("candidate: why", joined by "; ").
     */
    public record Found<T>(Optional<T> library, String tried) {
        public Found {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(tried, "tried");
        }
    }

    private NativeLibraryCandidates() {
    }

    /**
     * The path in {@code environmentVariable}, when set, before the default names and paths, without repeats.
     *
     * @param environmentVariable the variable a user sets to point at another copy, e.g. {@code K4J_OPENBLAS}
     * @param defaults            sonames or paths, in the order to try them
     */
    public static List<String> withOverride(String environmentVariable, List<String> defaults) {
        Objects.requireNonNull(environmentVariable, "environmentVariable");
        Objects.requireNonNull(defaults, "defaults");
        List<String> candidates = new ArrayList<>();
        String override = System.getenv(environmentVariable);
        if (override != null && !override.isBlank()) {
            candidates.add(override.strip());
        }
        candidates.addAll(defaults);
        return candidates.stream().distinct().toList();
    }

    /**
     * Tries the candidates in order.
     *
     * @param candidates         sonames or paths
     * @param identifyingSymbols symbols the meant library exports; a candidate without one of them is skipped
     * @param otherwise          what a candidate without them is, e.g. "not OpenBLAS"
     * @param binder             binds a candidate that has them
     */
    public static <T> Found<T> firstThatBinds(List<String> candidates, List<String> identifyingSymbols, String otherwise,
                                              Binder<T> binder) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(identifyingSymbols, "identifyingSymbols");
        Objects.requireNonNull(otherwise, "otherwise");
        Objects.requireNonNull(binder, "binder");
        StringJoiner tried = new StringJoiner("; ");
        for (String candidate : candidates) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                tried.add(candidate + ": " + e.getMessage());
                continue;
            }
            List<String> absent = identifyingSymbols.stream().filter(symbol -> lookup.find(symbol).isEmpty()).toList();
            if (!absent.isEmpty()) {
                tried.add(candidate + ": " + otherwise + " (no " + String.join(", ", absent) + ")");
                continue;
            }
            try {
                return new Found<>(Optional.of(binder.bind(candidate, lookup)), "");
            } catch (IllegalStateException e) {
                tried.add(candidate + ": " + e.getMessage());
            } catch (Throwable e) {
                tried.add(candidate + ": binding failed: " + e);
            }
        }
        return new Found<>(Optional.empty(), tried.toString());
    }
}
