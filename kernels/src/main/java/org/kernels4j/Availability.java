package org.kernels4j;

import java.util.Objects;

/**
 * Whether something (a backend, or a backend for one op spec) can run, and if not, why.
 *
 * @param available true when it can run
 * @param reason    empty when available; otherwise a sentence a user can act on
 */
public record Availability(boolean available, String reason) {
    private static final Availability YES = new Availability(true, "");

    public Availability {
        Objects.requireNonNull(reason, "reason");
        if (!available && reason.isBlank()) {
            throw new IllegalArgumentException("reason: must say why when not available");
        }
    }

    public static Availability yes() {
        return YES;
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
