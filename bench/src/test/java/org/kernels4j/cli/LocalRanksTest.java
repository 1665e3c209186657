package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;

class LocalRanksTest {
    @Test
    @Timeout(30)
    void returnsEachRanksResultInRankOrder() throws IOException {
        List<String> results = LocalRanks.run(3, CommunicatorOptions.defaults(), rank -> {
            Communicator communicator = rank.communicator();
            try (Tensor value = Tensor.fromInts(new int[] {communicator.rank() + 1}, 1)) {
                communicator.allReduce(value, value, ReduceOp.SUM);
                return communicator.rank() + "/" + communicator.size() + ":" + value.get(0);
            }
        });
        assertEquals(List.of("0/3:6.0", "1/3:6.0", "2/3:6.0"), results);
    }

    /** The default timeout is minutes: only the abort of the failed rank lets the others finish within the test's timeout. */
    @Test
    @Timeout(30)
    void rethrowsTheFailureThatStartedItAndDoesNotWaitForTheTimeout() {
        BadInputException cause = new BadInputException("rank 1 could not read its input");
        BadInputException thrown = assertThrows(BadInputException.class,
                () -> LocalRanks.run(4, CommunicatorOptions.defaults(), rank -> {
                    Communicator communicator = rank.communicator();
                    if (communicator.rank() == 1) {
                        throw cause;
                    }
                    try (Tensor value = Tensor.allocate(DType.FP32, 8)) {
                        communicator.allReduce(value, value, ReduceOp.SUM);
                    }
                    return null;
                }));
        assertSame(cause, thrown);
    }
}
