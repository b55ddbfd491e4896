package dev.parley.broker.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection when the access token it was authenticated with expires, so a token's lifetime bounds
 * how long a stolen or revoked-by-expiry token keeps a connection open. The client receives DISCONNECT
 * 0xA0 (Maximum connect time) with a reason string, sends its will (the device is offline now), and is
 * expected to get a new token and reconnect.
 *
 * <p>One deadline per client id, replaced when that client id authenticates again (a reconnect or a
 * takeover): the newest connection's token decides. One sweep a second ends the connections whose
 * deadline has passed, so a connection ends within a second after its token (plus the clock skew
 * allowance) expired. A deadline is a map entry of ~56 bytes, not a timer task of ~200: this is kept per
 * connection, and the memory of an idle connection is one of the targets the benchmark measures; the
 * sweep reads every entry once a second (~10 µs per thousand connections). Entries of clients that left
 * stay until their deadline and then find nothing to disconnect. A connection that is taken over between
 * the sweep's check and the disconnect can be disconnected once by mistake; it reconnects like after any
 * drop.
 */
final class ConnectionExpiry implements AutoCloseable {

    /**
     * {@link dev.parley.protocol.tokens.AccessTokens} accepts a token up to 5 s past its expiry (clock
     * skew between the issuer and this node); a connection lives as long as its token would still be
     * accepted, so a token accepted at CONNECT never ends the connection at once.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    /** Ends one client's connection; asynchronous, never blocks the timer. */
    @FunctionalInterface
    interface Disconnector {
        void disconnect(String clientId, String reason);
    }

    private final Disconnector disconnector;
    private final Clock clock;
    private final ScheduledFuture<?> sweeps;
    /** Client id → when its token expires, in epoch milliseconds. */
    private final ConcurrentHashMap<String, Long> tokenExpiries = new ConcurrentHashMap<>();

    /** @param timer runs the sweep; its owner shuts it down */
    ConnectionExpiry(Disconnector disconnector, Clock clock, ScheduledExecutorService timer) {
        this.disconnector = disconnector;
        this.clock = clock;
        this.sweeps = timer.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** From now on, the connection of this client id ends when this token expires. */
    void schedule(String clientId, Instant tokenExpiresAt) {
        tokenExpiries.put(clientId, tokenExpiresAt.toEpochMilli());
    }

    /** Client ids with a pending deadline (for tests and metrics). */
    int pending() {
        return tokenExpiries.size();
    }

    private void sweep() {
        long now = clock.millis();
        long skew = CLOCK_SKEW.toMillis();
        tokenExpiries.forEach((clientId, expiresAt) -> {
            // remove(key, value): a reconnect that replaced the deadline meanwhile keeps its own.
            if (expiresAt + skew <= now && tokenExpiries.remove(clientId, expiresAt)) {
                disconnector.disconnect(clientId, "access token expired at " + Instant.ofEpochMilli(expiresAt)
                        + ": log in again (POST /v1/tokens) and reconnect with the new token");
            }
        });
    }

    @Override
    public void close() {
        sweeps.cancel(false);
        tokenExpiries.clear();
    }
}
