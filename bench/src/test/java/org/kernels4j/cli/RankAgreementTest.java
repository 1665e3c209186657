package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;

class RankAgreementTest {
    /** Every rank's verdict, with rank r holding {@code values[r]} as FP32. */
    private static List<List<Integer>> verdicts(float[][] values) throws IOException {
        return LocalRanks.run(values.length, CommunicatorOptions.defaults(), rank -> {
            Communicator communicator = rank.communicator();
            try (Tensor result = Tensor.fromFloats(DType.FP32, values[communicator.rank()], values[communicator.rank()].length)) {
                return RankAgreement.ranksDifferingFromRankZero(communicator, result);
            }
        });
    }

    @Test
    @Timeout(30)
    void namesEveryRankWhoseBitsDifferFromRankZerosOnEveryRank() throws IOException {
        float[] same = {1, 2, Float.NaN};
        assertEquals(List.of(List.of(), List.of(), List.of()), verdicts(new float[][] {same, same, same}));

        float[] lastBit = {1, Math.nextUp(2f), Float.NaN};
        float[] negativeZero = {1, 2, -0f};
        float[] zero = {1, 2, 0f};
        List<List<Integer>> verdicts = verdicts(new float[][] {zero, zero, negativeZero, zero, lastBit});
        assertEquals(List.of(2, 4), verdicts.get(0));
        verdicts.forEach(verdict -> assertEquals(verdicts.get(0), verdict, "the same list on every rank"));
    }
}
