package dev.parley.presence;

import dev.parley.protocol.Ids;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.ReportAge;
import dev.parley.protocol.tokens.ServiceTokens;
import dev.parley.store.presence.UserPresenceStore;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jboss.logging.Logger;

/**
 * Device presence in, friend-visible presence out: each report from the broker updates Redis (one atomic
 * script per report), and a changed aggregate is published retained on {@code presence/{userId}} by the
 * {@link AggregatePublisher}, as the user's privacy settings let friends see it ({@link FriendView}). When a
 * user's aggregate goes offline, the time is persisted in Cassandra as their last seen. A sweep ends device
 * leases that were not renewed, so no device stays online without reports, and rebuilds the state when
 * Redis lost it (see {@link #sweep}). Plain Java (started by {@link PresenceBridgeService} in the Quarkus
 * application, or directly by tests).
 */
final class PresenceBridge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PresenceBridge.class);
    private static final int SWEEP_BATCH = 1_000;
    /**
     * After asking the broker nodes to re-announce, how long to wait before recomputing the users whose
     * updates were lost: their connected devices' announcements (a broker publish and a script each) are in
     * by then, so a user with a device left is not shown offline in between.
     */
    static final Duration REANNOUNCE_SETTLE = Duration.ofSeconds(2);

    private final PresenceSettings settings;
    private final Clock clock;
    private final PresenceStore store;
    private final UserPresenceStore persisted;
    private final ScheduledExecutorService scheduler;
    private final AggregatePublisher publisher;
    private final BrokerLink link;
    private final StatefulRedisPubSubConnection<String, String> signals;
    private final RedisPubSubAdapter<String, String> signalListener;
    /** Users whose Redis update failed: rebuilt once Redis answers again. */
    private final Set<UUID> lost = ConcurrentHashMap.newKeySet();

    /**
     * @param signals a pub/sub connection of its own (a subscribed connection takes no other commands), for
     *                {@link PresenceKeys#SETTINGS_CHANGED}
     * @param persisted where last seen is persisted and privacy settings are read (Cassandra)
     */
    PresenceBridge(PresenceSettings settings, StatefulRedisConnection<String, String> redis,
                   StatefulRedisPubSubConnection<String, String> signals, UserPresenceStore persisted, Clock clock)
            throws MqttException {
        this.settings = settings;
        this.clock = clock;
        this.store = new PresenceStore(redis, settings.deviceLease());
        this.persisted = persisted;
        this.signals = signals;
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "presence-bridge");
            thread.setDaemon(true);
            return thread;
        });
        this.link = new BrokerLink(settings, new ServiceTokens(settings.tokenSecret(), clock), this::onReport, scheduler);
        this.publisher = new AggregatePublisher(store, new FriendView(redis, persisted)::payload, link::publishRetained,
                scheduler, settings.publishInterval(), System::nanoTime);
        this.signalListener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (PresenceKeys.SETTINGS_CHANGED.equals(channel)) {
                    Ids.parseUuid(message).ifPresent(publisher::changed);
                }
            }
        };
    }

    void start() {
        signals.addListener(signalListener);
        signals.async().subscribe(PresenceKeys.SETTINGS_CHANGED).exceptionally(failure -> {
            LOG.warnf("Cannot subscribe to %s (%s): a changed privacy setting reaches friends with the user's next"
                    + " presence change", PresenceKeys.SETTINGS_CHANGED, failure.toString());
            return null;
        });
        link.start();
        // Publishes a bridge (this one, or another) left waiting for their slot when it died: friends would
        // otherwise keep a stale retained state until the user's next change.
        store.unpublished().whenComplete((users, failure) -> {
            if (failure != null) {
                LOG.warnf("Cannot read the users whose presence was not yet published (%s); they are published with"
                        + " their next change", failure.toString());
            } else if (!users.isEmpty()) {
                LOG.infof("Publishing the presence of %d users whose change was not yet published", users.size());
                users.forEach(publisher::changed);
            }
        });
        long sweepMillis = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        LOG.infof("presence-bridge started: %s", settings);
    }

    boolean ready() {
        return link.ready();
    }

    /** Empty when connected and subscribed; otherwise why not (the readiness check reports it). */
    Optional<String> brokerProblem() {
        return link.notReady();
    }

    /**
     * Called on Paho's callback thread, in arrival order; the Redis command is queued in that order. Completes
     * when the report is applied (or its failure recorded for the rebuild): only then is it acknowledged to
     * the broker, so a bridge killed before that gets it again when its session resumes.
     */
    private CompletionStage<?> onReport(String topic, byte[] payload, OptionalLong remainingExpiry) {
        // Dated when the device made it: a will that waited in the session while this bridge was down gives the
        // time the device left as its last seen, not the time the bridge came back.
        Optional<DeviceReport> report = DeviceReport.parse(topic, payload,
                ReportAge.madeAt(clock.instant(), remainingExpiry));
        if (report.isEmpty()) {
            LOG.debugf("Ignored a presence publish on %s that is not {\"status\":\"online\"|\"offline\"}", topic);
            return CompletableFuture.completedFuture(null);
        }
        return whenChanged(store.apply(report.get()), report.get().user(), report.get().at());
    }

    /**
     * Every sweep interval: if Redis lost the presence state (the {@link PresenceKeys#EPOCH} marker is gone:
     * flushed, restarted empty) or updates failed while it was away, rebuild; then end expired leases.
     */
    private void sweep() {
        publisher.forgetIdle();
        Instant now = clock.instant();
        store.claimEpoch(settings.instance() + " " + now)
                .thenAccept(emptied -> {
                    if (emptied || !lost.isEmpty()) {
                        rebuild(emptied);
                    }
                })
                .exceptionally(failure -> {
                    LOG.warnf("Presence sweep cannot reach Redis (%s); next try in %s", failure.toString(),
                            settings.sweepInterval());
                    return null;
                });
        store.expiredLeases(now, SWEEP_BATCH)
                .thenAccept((List<PresenceStore.Lease> leases) -> leases.forEach(lease ->
                        whenChanged(store.expire(lease.user(), lease.deviceId(), now), lease.user(), now)))
                .exceptionally(failure -> {
                    LOG.warnf("Presence sweep failed (%s); next one in %s", failure.toString(), settings.sweepInterval());
                    return null;
                });
    }

    /**
     * Rebuilds from the broker: the users whose updates were lost forget their devices; every broker node
     * re-announces the devices connected to it (which brings every online user back); then the lost users'
     * aggregates are recomputed, so one whose last device left meanwhile goes offline.
     */
    private void rebuild(boolean emptied) {
        List<UUID> users = List.copyOf(lost);
        lost.removeAll(users);
        LOG.infof("Rebuilding presence from the broker (%s, %d users with lost updates)",
                emptied ? "Redis lost the presence state" : "Redis answers again", users.size());
        CompletionStage<Void> forgotten = java.util.concurrent.CompletableFuture.completedFuture(null);
        for (UUID user : users) {
            forgotten = forgotten.thenCompose(v -> store.forgetDevices(user));
        }
        forgotten.thenCompose(v -> store.requestReannounce(settings.instance()))
                .thenAccept(nodes -> {
                    LOG.infof("%d broker nodes asked to re-announce their devices", nodes);
                    scheduler.schedule(() -> users.forEach(user -> whenChanged(store.expire(user, "", clock.instant()),
                            user, clock.instant())), REANNOUNCE_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                })
                .exceptionally(failure -> {
                    LOG.warnf("Presence rebuild failed (%s); retried at the next sweep", failure.toString());
                    lost.addAll(users);
                    return null;
                });
    }

    private CompletionStage<?> whenChanged(CompletionStage<PresenceStore.Change> update, UUID user, Instant at) {
        return update.whenComplete((change, failure) -> {
            if (failure != null) {
                // Presence degrades, nothing else does; rebuilt when Redis answers again.
                lost.add(user);
                LOG.warnf("Presence update of %s failed: %s", user, failure.toString());
                return;
            }
            if (change == PresenceStore.Change.OFFLINE) {
                persisted.recordLastSeen(user, at).whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.warnf("Last seen %s of %s not persisted to Cassandra: %s (Redis has it)", at, user,
                                error.toString());
                    }
                });
            }
            if (change != PresenceStore.Change.NONE) {
                publisher.changed(user);
            }
        });
    }

    @Override
    public void close() {
        link.close();
        signals.removeListener(signalListener);
        scheduler.shutdownNow();
    }
}
