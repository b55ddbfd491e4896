package dev.parley.presence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Publishes users' aggregates as retained messages on {@code presence/{userId}}, at most one per user per
 * {@code interval}, and always the newest state: a change publishes at once unless the user's last publish
 * was less than an interval ago; then one publish is scheduled for the end of that interval, and it reads
 * the aggregate from Redis when it runs, so however many changes came meanwhile, friends get the last.
 *
 * <p>Several bridges may publish the same user's aggregate at nearly the same time and their publishes may
 * reach the broker in either order. So after a publish, the aggregate's version is read again: if it moved,
 * the user is published again (the next interval), and the retained message ends at the newest state.
 */
final class AggregatePublisher {

    private static final Logger LOG = Logger.getLogger(AggregatePublisher.class);

    /** Where aggregates go: the retained publish on the broker. */
    @FunctionalInterface
    interface Sink {
        CompletionStage<Void> publishRetained(String topic, byte[] payload);
    }

    private final PresenceStore store;
    private final Function<Aggregate, CompletionStage<byte[]>> render;
    private final Sink sink;
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<UUID, UserState> users = new ConcurrentHashMap<>();

    /** @param render what friends may see of an aggregate (see {@link FriendView}) */
    AggregatePublisher(PresenceStore store, Function<Aggregate, CompletionStage<byte[]>> render, Sink sink,
                       ScheduledExecutorService scheduler, Duration interval,
                       LongSupplier nanoTime) {
        this.store = store;
        this.render = render;
        this.sink = sink;
        this.scheduler = scheduler;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The user's aggregate changed (or may have): publish it within the bound. */
    void changed(UUID user) {
        users.compute(user, (id, state) -> {
            UserState next = state == null ? new UserState() : state;
            if (next.scheduled) {
                return next; // the scheduled publish reads the newest state when it runs
            }
            long wait = !next.published ? 0
                    : Math.max(0, next.lastPublishNanos + intervalNanos - nanoTime.getAsLong());
            next.scheduled = true;
            scheduler.schedule(() -> publish(id), wait, TimeUnit.NANOSECONDS);
            return next;
        });
    }

    /** Forgets users with nothing scheduled and no publish within the last interval (bounded memory). */
    void forgetIdle() {
        long now = nanoTime.getAsLong();
        for (UUID user : users.keySet()) {
            users.computeIfPresent(user, (id, s) -> !s.scheduled && now - s.lastPublishNanos > intervalNanos ? null : s);
        }
    }

    /** Users being tracked (for tests and metrics). */
    int tracked() {
        return users.size();
    }

    private void publish(UUID user) {
        users.computeIfPresent(user, (id, state) -> {
            state.scheduled = false;
            state.lastPublishNanos = nanoTime.getAsLong();
            state.published = true;
            return state;
        });
        store.read(user)
                .thenCompose(aggregate -> render.apply(aggregate)
                        .thenCompose(payload -> publishIfChanged(aggregate, payload))
                        .thenCompose(published -> store.read(user))
                        .thenCompose(after -> {
                            if (after.version() != aggregate.version()) {
                                changed(user);
                                return CompletableFuture.<Void>completedFuture(null);
                            }
                            return store.published(user, aggregate.version());
                        }))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        // Broker or Redis away: try again next interval, so the retained state catches up.
                        LOG.debugf("Publishing the presence of %s failed (%s); retrying", user, failure.toString());
                        changed(user);
                    }
                });
    }

    /**
     * Friends get nothing when what they may see did not change: an invisible user connecting must not make
     * their (unchanged, "offline") presence arrive again at that very moment.
     */
    private CompletionStage<Void> publishIfChanged(Aggregate aggregate, byte[] payload) {
        String digest = digest(payload);
        return digest.equals(aggregate.shown()) ? CompletableFuture.<Void>completedFuture(null)
                : sink.publishRetained("presence/" + aggregate.user(), payload)
                        .thenCompose(v -> store.markShown(aggregate.user(), digest));
    }

    /** 16 hex digits of SHA-256: short enough that Redis keeps the aggregate hash in its compact encoding. */
    static String digest(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static final class UserState {
        long lastPublishNanos;
        boolean published;
        boolean scheduled;
    }
}
