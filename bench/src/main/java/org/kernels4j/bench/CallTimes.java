package org.kernels4j.bench;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one of the calls timed together by {@link GemmTimer#timeInterleaved} did: the seconds of each measured round it
 * ran, in round order (so that two calls' times of the same round can be compared), or what it threw.
 *
 * @param secondsByRound seconds of its call in rounds 0, 1, …; copied
 * @param failure        what it threw, in warm-up or in a round (it ran no further rounds); null when it did not throw
 */
public record CallTimes(double[] secondsByRound, RuntimeException failure) {
    public CallTimes {
        Objects.requireNonNull(secondsByRound, "secondsByRound");
        secondsByRound = secondsByRound.clone();
        if (failure == null && secondsByRound.length == 0) {
            throw new IllegalArgumentException("secondsByRound: a call that did not fail ran at least one round");
        }
    }

    @Override
    public double[] secondsByRound() {
        return secondsByRound.clone();
    }

    public boolean failed() {
        return failure != null;
    }

    /** Its measured runs; only for a call that did not fail. */
    public Timing timing() {
        if (failed()) {
            throw new IllegalStateException("the call failed: " + failure);
        }
        return new Timing(secondsByRound);
    }

    /**
     * How much faster this call ran than {@code other}, round by round: the median over the rounds both ran of
     * other's seconds / this call's seconds (a speed ratio: above 1 when this call is faster). NaN when they shared no
     * round.
     */
    public double medianSpeedRatioOver(CallTimes other) {
        Objects.requireNonNull(other, "other");
        int rounds = Math.min(secondsByRound.length, other.secondsByRound.length);
        if (rounds == 0) {
            return Double.NaN;
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = other.secondsByRound[r] / secondsByRound[r];
        }
        return Timing.median(ratios);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallTimes t && Arrays.equals(t.secondsByRound, secondsByRound) && Objects.equals(t.failure, failure);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(secondsByRound) + Objects.hashCode(failure);
    }
}
