package org.kernels4j.comm;

/** The kinds of collective call, by the name that messages and exceptions use. Immutable. */
public enum Collective {
    ALL_REDUCE("allReduce"),
    REDUCE_SCATTER("reduceScatter"),
    ALL_GATHER("allGather"),
    BROADCAST("broadcast"),
    REDUCE("reduce"),
    BARRIER("barrier");

    private final String methodName;

    Collective(String methodName) {
        this.methodName = methodName;
    }

    /** The {@link Communicator} method name, e.g. {@code allReduce}. */
    public String methodName() {
        return methodName;
    }
}
