package dev.parley.client.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next connection attempt. Every attempt that fails, and every connection
 * that ends before it stayed up {@code stableAfter}, counts as a failure and doubles the {@link Backoff};
 * only a connection that stayed up that long starts the count again. Resetting at every successful
 * subscribe instead would let a link that connects and drops at once (a captive portal, a broker that
 * accepts and closes) be retried at the first delay forever.
 *
 * <p>Not thread-safe: used on the client's thread only.
 */
public final class ReconnectDelays {

    /** A connection that lasted this long was a working one: the next drop starts the backoff again. */
    public static final Duration STABLE_AFTER = Duration.ofSeconds(10);

    private final Backoff backoff;
    private final Duration stableAfter;
    private int failures;
    private Instant upSince;

    public ReconnectDelays(Backoff backoff, Duration stableAfter) {
        this.backoff = backoff;
        this.stableAfter = stableAfter;
    }

    /** A connection is up (subscribed) since {@code now}. */
    public void connected(Instant now) {
        upSince = now;
    }

    /** An attempt failed or the connection ended at {@code now}: the delay before the next attempt. */
    public Duration next(Instant now, RandomGenerator random) {
        if (upSince != null && Duration.between(upSince, now).compareTo(stableAfter) >= 0) {
            failures = 0;
        }
        upSince = null;
        return backoff.delay(failures++, random);
    }

    /** Failures counted since the last connection that stayed up (for tests and diagnostics). */
    public int failures() {
        return failures;
    }
}
