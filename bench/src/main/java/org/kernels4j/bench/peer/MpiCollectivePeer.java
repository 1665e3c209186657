package org.kernels4j.bench.peer;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiLibrary;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * Open MPI's own collectives as the benchmark peer of the kernels4j communicator: {@code MPI_Allreduce},
 * {@code MPI_Reduce_scatter_block}, {@code MPI_Allgather} and {@code MPI_Bcast} on {@code MPI_COMM_WORLD},
 * called through the FFM API straight on the tensors' native memory, for use inside an mpirun rank
 * (an open {@link MpiWorld}). Every rank must make the same calls in the same order, as with MPI itself.
 *
 * <p>MPI has FP32, INT8 and INT32 types and the SUM, PROD, MAX and MIN ops, not FP16, BF16 or AVG:
 * {@link #supports} says so, and the calls reject them. Results follow Open MPI's algorithms (its
 * {@code coll/tuned} choices), so floating-point sums may differ from ours in the last bits.
 *
 * <p>Thread safety: calls are serialized with every other MPI call of the process (see
 * {@link MpiLibrary}); a call blocks until the collective completes on this rank.
 */
public final class MpiCollectivePeer {
    public static final String NAME = "mpi";

    private final MpiLibrary mpi;

    private MpiCollectivePeer(MpiLibrary mpi) {
        this.mpi = mpi;
    }

    /** The peer of {@code world}'s job. */
    public static MpiCollectivePeer of(MpiWorld world) {
        Objects.requireNonNull(world, "world");
        return new MpiCollectivePeer(world.library());
    }

    /** Whether libmpi is there to be a peer (mpirun is the launcher's business). */
    public static Availability availability() {
        return MpiLibrary.availability();
    }

    /** The library, e.g. {@code Open MPI v4.1.4, ... (libmpi.so.40)}, for tables. */
    public String description() {
        return mpi.toString();
    }

    /** The MPI function that runs {@code collective}, e.g. {@code MPI_Allreduce}, for tables. */
    public static String routine(Collective collective) {
        Objects.requireNonNull(collective, "collective");
        return switch (collective) {
            case ALL_REDUCE -> "MPI_Allreduce";
            case REDUCE_SCATTER -> "MPI_Reduce_scatter_block";
            case ALL_GATHER -> "MPI_Allgather";
            case BROADCAST -> "MPI_Bcast";
            case REDUCE, BARRIER -> throw new IllegalArgumentException("collective: " + collective + " has no peer here");
        };
    }

    /** Whether MPI has a datatype for {@code dtype} and, when {@code op} is not null, an op for it. */
    public static Availability supports(DType dtype, ReduceOp op) {
        Objects.requireNonNull(dtype, "dtype");
        if (dtype == DType.FP16 || dtype == DType.BF16) {
            return Availability.no("MPI has no " + dtype + " datatype");
        }
        if (op == ReduceOp.AVG) {
            return Availability.no("MPI has no AVG op");
        }
        return Availability.yes();
    }

    /** {@code out} = the reduction of every rank's {@code in} ({@code MPI_Allreduce}); distinct tensors. */
    public void allReduce(Tensor in, Tensor out, ReduceOp op) {
        checkPair(in, out, op);
        mpi.allReduce(in.segment(), out.segment(), in.elementCount(), in.dtype(), op);
    }

    /** {@code out} = this rank's block of the reduction of every rank's {@code in} ({@code MPI_Reduce_scatter_block}). */
    public void reduceScatter(Tensor in, Tensor out, ReduceOp op) {
        checkPair(in, out, op);
        mpi.reduceScatterBlock(in.segment(), out.segment(), out.elementCount(), in.dtype(), op);
    }

    /** {@code out} = every rank's {@code in} in rank order ({@code MPI_Allgather}). */
    public void allGather(Tensor in, Tensor out) {
        checkPair(in, out, null);
        mpi.allGather(in.segment(), out.segment(), in.elementCount(), in.dtype());
    }

    /** Every rank's {@code buffer} becomes {@code root}'s ({@code MPI_Bcast}). */
    public void broadcast(Tensor buffer, int root) {
        checkTensor("buffer", buffer);
        require(buffer.dtype(), null);
        mpi.broadcast(buffer.segment(), buffer.elementCount(), buffer.dtype(), root);
    }

    private static void checkPair(Tensor in, Tensor out, ReduceOp op) {
        checkTensor("in", in);
        checkTensor("out", out);
        if (in.dtype() != out.dtype()) {
            throw new IllegalArgumentException("out: dtype " + out.dtype() + " differs from in's " + in.dtype());
        }
        require(in.dtype(), op);
    }

    private static void require(DType dtype, ReduceOp op) {
        Availability supported = supports(dtype, op);
        if (!supported.available()) {
            throw new IllegalArgumentException((op == ReduceOp.AVG ? "op" : "dtype") + ": " + supported.reason());
        }
    }

    private static void checkTensor(String name, Tensor tensor) {
        Objects.requireNonNull(tensor, name);
        if (!tensor.isContiguous()) {
            throw new IllegalArgumentException(name + ": " + tensor + " is not contiguous");
        }
    }
}
