package dev.parley.presence;

import dev.parley.protocol.tokens.ServiceTokens;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jboss.logging.Logger;

/**
 * Device presence in, friend-visible presence out: each report from the broker updates Redis (one atomic
 * script per report), and a changed aggregate is published retained on {@code presence/{userId}} by the
 * {@link AggregatePublisher}. A sweep ends device leases that were not renewed, so no device stays online
 * without reports. Plain Java (started by {@link PresenceBridgeService} in the Quarkus application, or
 * directly by tests).
 */
final class PresenceBridge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PresenceBridge.class);
    private static final int SWEEP_BATCH = 1_000;

    private final PresenceSettings settings;
    private final Clock clock;
    private final PresenceStore store;
    private final ScheduledExecutorService scheduler;
    private final AggregatePublisher publisher;
    private final BrokerLink link;

    PresenceBridge(PresenceSettings settings, StatefulRedisConnection<String, String> redis, Clock clock)
            throws MqttException {
        this.settings = settings;
        this.clock = clock;
        this.store = new PresenceStore(redis, settings.deviceLease());
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "presence-bridge");
            thread.setDaemon(true);
            return thread;
        });
        this.link = new BrokerLink(settings, new ServiceTokens(settings.tokenSecret(), clock), this::onReport, scheduler);
        this.publisher = new AggregatePublisher(store, link::publishRetained, scheduler, settings.publishInterval(),
                System::nanoTime);
    }

    void start() {
        link.start();
        long sweepMillis = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        LOG.infof("presence-bridge started: %s", settings);
    }

    boolean ready() {
        return link.ready();
    }

    /** Called on Paho's callback thread, in arrival order; the Redis command is queued in that order. */
    private void onReport(String topic, byte[] payload) {
        Optional<DeviceReport> report = DeviceReport.parse(topic, payload, clock.instant());
        if (report.isEmpty()) {
            LOG.debugf("Ignored a presence publish on %s that is not {\"status\":\"online\"|\"offline\"}", topic);
            return;
        }
        whenChanged(store.apply(report.get()), report.get().user());
    }

    private void sweep() {
        publisher.forgetIdle();
        Instant now = clock.instant();
        store.expiredLeases(now, SWEEP_BATCH)
                .thenAccept((List<PresenceStore.Lease> leases) -> leases.forEach(lease ->
                        whenChanged(store.expire(lease.user(), lease.deviceId(), now), lease.user())))
                .exceptionally(failure -> {
                    LOG.warnf("Presence sweep failed (%s); next one in %s", failure.toString(), settings.sweepInterval());
                    return null;
                });
    }

    private void whenChanged(CompletionStage<Boolean> update, java.util.UUID user) {
        update.whenComplete((changed, failure) -> {
            if (failure != null) {
                // Presence degrades, nothing else does; the device's lease or next report repairs it.
                LOG.warnf("Presence update of %s failed: %s", user, failure.toString());
            } else if (changed) {
                publisher.changed(user);
            }
        });
    }

    @Override
    public void close() {
        link.close();
        scheduler.shutdownNow();
    }
}
