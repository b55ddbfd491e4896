package dev.parley.protocol.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * When a device's presence report was made, though it reached presence-bridge later (queued in the bridge's
 * session while the bridge was down or restarting). The broker gives every report on
 * {@code presence/{userId}/{deviceId}} — the device's publishes, its will, and the broker's re-announcements —
 * the MQTT message expiry interval {@link #EXPIRY}; the broker counts it down while the report waits, so what
 * is left when it arrives says how long it waited. Last seen is then the time the device left, not the time
 * the bridge heard of it. MQTT gives the interval in whole seconds: a report that waited less than
 * {@link #QUEUED_AT_LEAST} counts as live.
 */
public final class ReportAge {

    /** The message expiry interval of every device presence report: longer than any bridge outage it covers. */
    public static final Duration EXPIRY = Duration.ofDays(1);
    /** Below this a report is taken as live (the countdown is in whole seconds). */
    static final Duration QUEUED_AT_LEAST = Duration.ofSeconds(2);

    private ReportAge() {
    }

    /**
     * @param received         when the bridge got the report
     * @param remainingSeconds the message expiry interval it arrived with, if any
     */
    public static Instant madeAt(Instant received, OptionalLong remainingSeconds) {
        if (remainingSeconds.isEmpty()) {
            return received;
        }
        Duration waited = EXPIRY.minusSeconds(remainingSeconds.getAsLong());
        if (waited.compareTo(QUEUED_AT_LEAST) < 0 || waited.compareTo(EXPIRY) > 0) {
            return received;
        }
        return received.minus(waited);
    }
}
