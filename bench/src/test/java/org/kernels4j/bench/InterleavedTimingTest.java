package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls timed together run round by round, each once per round, in an order that changes; a failing one drops out alone. */
@Timeout(60)
class InterleavedTimingTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    /** Calls that append their index to {@code order} when run. */
    private static List<Runnable> recording(int count, List<Integer> order) {
        return IntStream.range(0, count).<Runnable>mapToObj(i -> () -> order.add(i)).toList();
    }

    private static List<List<Integer>> rounds(List<Integer> order, int count) {
        return IntStream.range(0, order.size() / count).mapToObj(r -> order.subList(r * count, (r + 1) * count)).toList();
    }

    @Test
    void everyRoundRunsEachCallOnceInAnOrderThatChanges() {
        List<Integer> order = new ArrayList<>();
        List<CallTimes> times = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 6, FOREVER).timeInterleaved(recording(3, order));
        assertEquals(18, order.size());
        List<List<Integer>> rounds = rounds(order, 3);
        rounds.forEach(round -> assertEquals(Set.of(0, 1, 2), new HashSet<>(round), order::toString));
        IntStream.range(1, rounds.size()).forEach(r -> assertFalse(rounds.get(r).equals(rounds.get(r - 1)), order::toString));
        assertEquals(Set.of(0, 1, 2), rounds.stream().map(List::getFirst).collect(Collectors.toSet()), "each call opens a round");
        for (int call = 0; call < 3; call++) {
            int c = call;
            Set<Integer> predecessors = rounds.stream().filter(round -> round.indexOf(c) > 0)
                    .map(round -> round.get(round.indexOf(c) - 1)).collect(Collectors.toSet());
            assertEquals(2, predecessors.size(), () -> "call " + c + " follows the same neighbour in every round: " + order);
        }
        times.forEach(t -> assertEquals(6, t.secondsByRound().length));
    }

    @Test
    void twoCallsTakeTurnsGoingFirst() {
        List<Integer> order = new ArrayList<>();
        new GemmTimer(0, Duration.ZERO, Duration.ZERO, 4, FOREVER).timeInterleaved(recording(2, order));
        List<List<Integer>> rounds = rounds(order, 2);
        assertEquals(2, rounds.stream().filter(round -> round.equals(List.of(0, 1))).count(), order::toString);
        assertEquals(2, rounds.stream().filter(round -> round.equals(List.of(1, 0))).count(), order::toString);
    }

    @Test
    void eachCallIsWarmedUpOnItsOwnBeforeTheRounds() {
        List<Integer> order = new ArrayList<>();
        int warmupCalls = 2;
        int measuredRuns = 3;
        new GemmTimer(warmupCalls, Duration.ZERO, Duration.ofHours(1), measuredRuns, FOREVER).timeInterleaved(recording(2, order));
        int firstWarmup = leadingRun(order, 0, 0);
        int secondWarmup = leadingRun(order, firstWarmup, 1);
        assertTrue(firstWarmup >= 2 * warmupCalls && secondWarmup >= 2 * warmupCalls, order::toString);
        List<Integer> measured = order.subList(firstWarmup + secondWarmup, order.size());
        assertEquals(2 * measuredRuns, measured.size(), order::toString);
        rounds(measured, 2).forEach(round -> assertEquals(Set.of(0, 1), new HashSet<>(round), order::toString));
    }

    /** How many times {@code call} occurs in a row from {@code from} on. */
    private static int leadingRun(List<Integer> order, int from, int call) {
        int end = from;
        while (end < order.size() && order.get(end) == call) {
            end++;
        }
        return end - from;
    }

    @Test
    void aFailingCallDropsOutWithWhatItThrewWhileTheOthersGoOn() {
        List<Integer> order = new ArrayList<>();
        IllegalStateException lost = new IllegalStateException("simulated device loss");
        int[] middleCalls = {0};
        List<Runnable> calls = List.of(() -> order.add(0), () -> {
            order.add(1);
            if (++middleCalls[0] == 3) {
                throw lost;
            }
        }, () -> order.add(2));
        List<CallTimes> times = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 5, FOREVER).timeInterleaved(calls);
        assertEquals(5, times.get(0).timing().runs());
        assertEquals(5, times.get(2).timing().runs());
        assertTrue(times.get(1).failed());
        assertSame(lost, times.get(1).failure());
        assertEquals(2, times.get(1).secondsByRound().length, "its rounds before the failure");
        assertEquals(3, order.stream().filter(i -> i == 1).count(), order::toString);
        assertThrows(IllegalStateException.class, () -> times.get(1).timing());
    }

    @Test
    void aCallFailingInWarmUpRunsNoRound() {
        IllegalStateException lost = new IllegalStateException("unsupported here");
        List<CallTimes> times = new GemmTimer(1, Duration.ZERO, Duration.ZERO, 3, FOREVER)
                .timeInterleaved(List.of(() -> { }, () -> {
                    throw lost;
                }));
        assertEquals(3, times.get(0).timing().runs());
        assertSame(lost, times.get(1).failure());
        assertEquals(0, times.get(1).secondsByRound().length);
        assertSame(lost, assertThrows(IllegalStateException.class,
                () -> new GemmTimer(1, Duration.ZERO, Duration.ZERO, 3).time(() -> {
                    throw lost;
                })), "a single call's failure is thrown on");
    }

    @Test
    void theBudgetEndsTheRounds() {
        List<Integer> order = new ArrayList<>();
        List<CallTimes> times = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 5, Duration.ZERO).timeInterleaved(recording(2, order));
        assertEquals(List.of(0, 1), order, "one round: each call spent the budget in it");
        times.forEach(t -> assertEquals(1, t.timing().runs()));
    }

    @Test
    void aCallPastTheBudgetSitsOutWhileTheFastOnesGoOn() {
        List<Integer> order = new ArrayList<>();
        Duration budget = Duration.ofSeconds(1);
        List<Runnable> calls = List.of(() -> order.add(0), () -> {
            order.add(1);
            sleep(budget.plusMillis(50));
        });
        List<CallTimes> times = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 4, budget).timeInterleaved(calls);
        assertEquals(4, times.get(0).timing().runs(), order::toString);
        assertEquals(1, times.get(1).timing().runs(), order::toString);
        assertEquals(List.of(0, 1, 0, 0, 0), order, "the slow call ran in the first round only");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusesNoCalls() {
        GemmTimer timer = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 1);
        assertThrows(IllegalArgumentException.class, () -> timer.timeInterleaved(List.of()));
        assertThrows(NullPointerException.class, () -> timer.timeInterleaved(null));
    }

    @Test
    void theSpeedRatioIsTheMedianOfTheRatiosWithinARound() {
        CallTimes ours = new CallTimes(new double[] {1, 1, 4}, null);
        CallTimes peer = new CallTimes(new double[] {3, 1, 8}, null);
        assertEquals(2, ours.medianSpeedRatioOver(peer), "rounds: 3×, 1×, 2× (the ratio of the medians would be 3×)");
        assertEquals(3, ours.medianSpeedRatioOver(new CallTimes(new double[] {3}, new IllegalStateException("lost"))),
                "over the rounds both ran");
        assertTrue(Double.isNaN(ours.medianSpeedRatioOver(new CallTimes(new double[0], new IllegalStateException("lost")))));
        assertThrows(IllegalArgumentException.class, () -> new CallTimes(new double[0], null));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 3, 2}));
    }
}
