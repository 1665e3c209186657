package org.kernels4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A small covering array: test rows (one value index per factor) such that every pair of values of two factors that
 * some valid row can hold appears together in at least one row (all-pairs testing). Rows are chosen greedily, AETG
 * style: each new row starts from a pair not yet covered and fills the other factors one by one with the value that
 * covers most new pairs; of several such candidates, the valid one that covers most pairs wins. A pair that no valid
 * candidate completes after many tries is given up on (the constraints exclude it). Deterministic for a seed.
 */
public final class PairwiseCovering {
    private static final int CANDIDATES_PER_ROW = 40;
    private static final int TRIES_PER_PAIR = 400;

    private PairwiseCovering() {
    }

    /**
     * @param sizes  number of values of each factor (at least 1 each)
     * @param valid  whether a complete row is allowed
     * @param seed   seed of the choices
     * @return rows of value indices, {@code row[f] < sizes[f]}
     */
    public static List<int[]> rows(int[] sizes, Predicate<int[]> valid, long seed) {
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(valid, "valid");
        for (int f = 0; f < sizes.length; f++) {
            if (sizes[f] < 1) {
                throw new IllegalArgumentException("sizes[" + f + "]: " + sizes[f] + " is less than 1");
            }
        }
        Pairs uncovered = new Pairs(sizes);
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> rows = new ArrayList<>();
        while (true) {
            int[] target = uncovered.first();
            if (target == null) {
                return rows;
            }
            int[] best = null;
            int bestGain = 0;
            for (int attempt = 0; attempt < TRIES_PER_PAIR && (best == null || attempt < CANDIDATES_PER_ROW); attempt++) {
                int[] candidate = candidate(sizes, target, uncovered, random, attempt % 2 == 0);
                if (valid.test(candidate)) {
                    int gain = uncovered.countCovered(candidate);
                    if (gain > bestGain) {
                        best = candidate;
                        bestGain = gain;
                    }
                }
            }
            if (best == null) {
                uncovered.remove(target[0], target[1], target[2], target[3]);
            } else {
                uncovered.removeAll(best);
                rows.add(best);
            }
        }
    }

    /**
     * A row holding the target pair; the other factors, in random order, take the value that covers most uncovered pairs
     * with those already set ({@code greedy}) or a random value, so that constrained factors still meet every value.
     */
    private static int[] candidate(int[] sizes, int[] target, Pairs uncovered, SplittableRandom random, boolean greedy) {
        int factors = sizes.length;
        int[] row = new int[factors];
        boolean[] set = new boolean[factors];
        row[target[0]] = target[1];
        row[target[2]] = target[3];
        set[target[0]] = true;
        set[target[2]] = true;
        int[] order = new int[factors];
        for (int f = 0; f < factors; f++) {
            order[f] = f;
        }
        for (int f = factors - 1; f > 0; f--) {
            int other = random.nextInt(f + 1);
            int swap = order[f];
            order[f] = order[other];
            order[other] = swap;
        }
        for (int f : order) {
            if (set[f]) {
                continue;
            }
            int chosen = random.nextInt(sizes[f]);
            if (greedy) {
                int bestGain = -1;
                int offset = random.nextInt(sizes[f]);
                for (int i = 0; i < sizes[f]; i++) {
                    int value = (i + offset) % sizes[f];
                    int gain = 0;
                    for (int g = 0; g < factors; g++) {
                        if (set[g] && uncovered.contains(f, value, g, row[g])) {
                            gain++;
                        }
                    }
                    if (gain > bestGain) {
                        bestGain = gain;
                        chosen = value;
                    }
                }
            }
            row[f] = chosen;
            set[f] = true;
        }
        return row;
    }

    /** The set of (factor, value, factor, value) pairs, first factor lower. */
    private static final class Pairs {
        private final int[] sizes;
        private final boolean[][][][] open;
        private int remaining;

        Pairs(int[] sizes) {
            this.sizes = sizes.clone();
            int factors = sizes.length;
            open = new boolean[factors][][][];
            for (int f = 0; f < factors; f++) {
                open[f] = new boolean[sizes[f]][factors][];
                for (int a = 0; a < sizes[f]; a++) {
                    for (int g = f + 1; g < factors; g++) {
                        open[f][a][g] = new boolean[sizes[g]];
                        java.util.Arrays.fill(open[f][a][g], true);
                        remaining += sizes[g];
                    }
                }
            }
        }

        int[] first() {
            if (remaining == 0) {
                return null;
            }
            for (int f = 0; f < sizes.length; f++) {
                for (int a = 0; a < sizes[f]; a++) {
                    for (int g = f + 1; g < sizes.length; g++) {
                        for (int b = 0; b < sizes[g]; b++) {
                            if (open[f][a][g][b]) {
                                return new int[] {f, a, g, b};
                            }
                        }
                    }
                }
            }
            throw new IllegalStateException("remaining is " + remaining + " but no pair is open");
        }

        boolean contains(int f, int a, int g, int b) {
            return f < g ? open[f][a][g][b] : open[g][b][f][a];
        }

        void remove(int f, int a, int g, int b) {
            boolean[] line = f < g ? open[f][a][g] : open[g][b][f];
            int index = f < g ? b : a;
            if (line[index]) {
                line[index] = false;
                remaining--;
            }
        }

        int countCovered(int[] row) {
            int count = 0;
            for (int f = 0; f < row.length; f++) {
                for (int g = f + 1; g < row.length; g++) {
                    if (open[f][row[f]][g][row[g]]) {
                        count++;
                    }
                }
            }
            return count;
        }

        void removeAll(int[] row) {
            for (int f = 0; f < row.length; f++) {
                for (int g = f + 1; g < row.length; g++) {
                    remove(f, row[f], g, row[g]);
                }
            }
        }
    }
}
