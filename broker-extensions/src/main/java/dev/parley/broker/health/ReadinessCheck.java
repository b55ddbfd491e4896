package dev.parley.broker.health;

import java.util.concurrent.CompletionStage;

/** One dependency the broker is not ready without. */
public interface ReadinessCheck {

    /** Name in the readiness report, e.g. {@code cassandra}. */
    String name();

    /**
     * Starts a cheap round trip to the dependency; completes normally when it answered. Must not
     * block: {@link Readiness} bounds how long it waits.
     */
    CompletionStage<?> probe();
}
