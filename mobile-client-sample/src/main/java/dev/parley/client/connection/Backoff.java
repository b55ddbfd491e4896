package dev.parley.client.connection;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between reconnect attempts: doubling from {@code initial} up to {@code max}, each one drawn
 * at random from the upper half of that ("equal jitter"), so that a million phones coming back after a
 * network outage do not all knock at the same moment.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, not " + initial + ", " + max);
        }
    }

    /** The delay before attempt number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = initial.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(max.toMillis(), ceiling);
        return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
    }
}
