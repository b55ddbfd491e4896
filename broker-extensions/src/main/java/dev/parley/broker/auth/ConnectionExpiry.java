package dev.parley.broker.auth;

import dev.parley.broker.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection when the access token it was authenticated with expires, so a token's lifetime bounds
 * how long a stolen or revoked-by-expiry token keeps a connection open. The client receives DISCONNECT
 * 0xA0 (Maximum connect time) with a reason string, sends its will (the device is offline now), and is
 * expected to get a new token and reconnect.
 *
 * <p>One timer per client id, replaced when that client id authenticates again (a reconnect or a
 * takeover): the newest connection's token decides. Entries of clients that left stay until their
 * token's expiry and then find nothing to disconnect; memory is a few hundred bytes per client id seen
 * within one token lifetime. A connection that is taken over between the timer's check and the
 * disconnect can be disconnected once by mistake; it reconnects like after any drop.
 */
final class ConnectionExpiry implements AutoCloseable {

    /**
     * {@link dev.parley.protocol.tokens.AccessTokens} accepts a token up to 5 s past its expiry (clock
     * skew between the issuer and this node); a connection lives as long as its token would still be
     * accepted, so a token accepted at CONNECT never ends the connection at once.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** Ends one client's connection; asynchronous, never blocks the timer. */
    @FunctionalInterface
    interface Disconnector {
        void disconnect(String clientId, String reason);
    }

    private final Disconnector disconnector;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    ConnectionExpiry(Disconnector disconnector, Clock clock) {
        this.disconnector = disconnector;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("parley-token-expiry"));
        // A reconnect cancels the previous timer: drop it from the queue now, not at its expiry.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** From now on, the connection of this client id ends when this token expires. */
    void schedule(String clientId, Instant tokenExpiresAt) {
        long delayMillis = Math.max(0, Duration.between(clock.instant(), tokenExpiresAt.plus(CLOCK_SKEW)).toMillis());
        // compute() holds the entry while the timer is created, so a timer firing at once still finds itself.
        timers.compute(clientId, (id, previous) -> {
            if (previous != null) {
                previous.future.cancel(false);
            }
            Timer next = new Timer(tokenExpiresAt);
            next.future = timer.schedule(() -> expire(id, next), delayMillis, TimeUnit.MILLISECONDS);
            return next;
        });
    }

    /** Client ids with a pending timer (for tests and metrics). */
    int pending() {
        return timers.size();
    }

    private void expire(String clientId, Timer self) {
        if (timers.remove(clientId, self)) {
            disconnector.disconnect(clientId, "access token expired at " + self.tokenExpiresAt
                    + ": log in again (POST /v1/tokens) and reconnect with the new token");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        timers.clear();
    }

    private static final class Timer {
        final Instant tokenExpiresAt;
        volatile ScheduledFuture<?> future;

        Timer(Instant tokenExpiresAt) {
            this.tokenExpiresAt = tokenExpiresAt;
        }
    }
}
