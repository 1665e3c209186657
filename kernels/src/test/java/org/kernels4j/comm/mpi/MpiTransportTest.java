package org.kernels4j.comm.mpi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the transport decides without a job; its messaging is tested under mpirun (MpiSmokeTest and the comm tests). */
class MpiTransportTest {

    @Test
    @Timeout(10)
    void ranksYieldTheirCoreOnlyWhenTheJobIsOversubscribedOrTheUserAsks() {
        assertTrue(MpiTransport.oversubscribed(Map.of("OMPI_MCA_mpi_oversubscribe", "1")));
        assertFalse(MpiTransport.oversubscribed(Map.of("OMPI_MCA_mpi_oversubscribe", "0")));
        assertFalse(MpiTransport.oversubscribed(Map.of()));
        assertTrue(MpiTransport.oversubscribed(Map.of("OMPI_MCA_mpi_yield_when_idle", "1", "OMPI_MCA_mpi_oversubscribe", "0")));
        assertFalse(MpiTransport.oversubscribed(Map.of("OMPI_MCA_mpi_yield_when_idle", "0", "OMPI_MCA_mpi_oversubscribe", "1")));
    }
}
