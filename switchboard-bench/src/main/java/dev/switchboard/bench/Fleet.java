package dev.switchboard.bench;

/**
 * A set of WebSocket clients driven step by step: in this process ({@link ClientFleet}), in child
 * processes ({@link ChildFleet}, for more sockets than one process may open), or both
 * ({@link MultiFleet}).
 */
interface Fleet extends AutoCloseable {
    /** Opens every connection and sets each one up (sign-in, subscription); blocks until done. */
    ConnectResult connect() throws Exception;

    /** Starts counting deliveries of step {@code step}; earlier steps' late deliveries become "stale". */
    void beginStep(int step) throws Exception;

    /** Deliveries of the current step so far (for draining). */
    long delivered() throws Exception;

    /**
     * This step's figures. {@link StepStats#clientCpuMicros} covers child processes only: the scenario
     * reads its own process, which also runs the publisher.
     */
    StepStats endStep() throws Exception;

    @Override
    void close();
}
