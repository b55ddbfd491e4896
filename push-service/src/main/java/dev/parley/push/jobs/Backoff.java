package dev.parley.push.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * Waits between attempts: {@code initial × 2^(n-1)} before retry n, at most {@code max}; a longer
 * Retry-After from FCM always wins, because sending earlier than FCM asked only earns another refusal.
 */
record Backoff(Duration initial, Duration max) {

    Duration beforeRetry(int retry, Optional<Duration> retryAfter) {
        long factor = 1L << Math.min(Math.max(retry - 1, 0), 30);
        Duration uncapped = initial.multipliedBy(factor);
        Duration exponential = uncapped.compareTo(max) > 0 || uncapped.isNegative() ? max : uncapped;
        return retryAfter.filter(asked -> asked.compareTo(exponential) > 0).orElse(exponential);
    }
}
