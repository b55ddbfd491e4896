package dev.parley.broker.presence;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import dev.parley.broker.DaemonThreads;
import dev.parley.broker.auth.ConnectionIdentity;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.Topic;
import dev.parley.protocol.presence.DeviceStatus;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.ReportAge;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's devices that announced themselves online, with their announcement, so presence can be rebuilt
 * from the broker when Redis lost it: on any message on {@link PresenceKeys#REANNOUNCE} (presence-bridge
 * sends one when it finds the state gone), and whenever this node's subscription to it is (re)established
 * (Redis came back; the bridge's request may have gone out before this node listened), every announcement
 * is published again on its device's own {@code presence/{userId}/{deviceId}} through the PublishService.
 * presence-bridge applies them as it applies the devices' own.
 *
 * <p>In memory, per node: an entry is made when a device's valid online announcement passes
 * ({@link DevicePresenceCheck}) and removed on its offline. A device that left without one is found by
 * asking HiveMQ whether it is still connected: before each re-announce (a device that has left is never
 * announced again) and by a sweep every {@value #SWEEP_MINUTES} minutes (so the map follows the connected
 * devices). Not a client lifecycle listener: HiveMQ keeps one listener registration per connection (a
 * lock and a sorted map, ~300 bytes), and memory per idle connection is a cost the benchmark measures.
 * Only non-blocking map operations on HiveMQ's threads; HiveMQ's answers and the re-announce only hand
 * publishes to HiveMQ.
 */
public final class ConnectedDevices implements AutoCloseable {

    static final int SWEEP_MINUTES = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectedDevices.class);

    /**
     * Client id → the connection id of its online announcement ({@link #NO_CONNECTION_ID} when it gave none).
     * Only that, not the publish: the topic follows from the client id and the payload from the connection
     * id, and this map holds an entry for every announced device connected to the node.
     */
    private final Map<String, String> online = new ConcurrentHashMap<>();
    private static final String NO_CONNECTION_ID = "";
    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;
    private final ClientService clients;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final RedisPubSubAdapter<String, String> listener;
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-connected-devices"));

    public ConnectedDevices(PublishService publishService, Supplier<PublishBuilder> publishBuilder,
                            ClientService clients, StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
        this.clients = clients;
        this.subscriptions = subscriptions;
        this.listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (PresenceKeys.REANNOUNCE.equals(channel)) {
                    reannounce("presence-bridge asked (" + message + ")");
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                if (PresenceKeys.REANNOUNCE.equals(channel)) {
                    reannounce("subscribed to " + channel);
                }
            }
        };
    }

    /** Starts listening for re-announce requests (asynchronously: never holds up the extension's start). */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::forgetDisconnected, SWEEP_MINUTES, SWEEP_MINUTES, TimeUnit.MINUTES);
        subscriptions.addListener(listener);
        subscriptions.async().subscribe(PresenceKeys.REANNOUNCE).exceptionally(failure -> {
            LOG.warn("Cannot subscribe to {} ({}): presence is rebuilt after a Redis flush only as devices"
                    + " re-announce themselves", PresenceKeys.REANNOUNCE, failure.toString());
            return null;
        });
    }

    void announced(String clientId, DeviceStatus status) {
        if (status.online()) {
            online.put(clientId, status.connection() == null ? NO_CONNECTION_ID : status.connection());
        } else {
            online.remove(clientId);
        }
    }

    /** Devices connected here that announced themselves online (tests, metrics). */
    public int size() {
        return online.size();
    }

    void reannounce(String why) {
        LOG.info("Re-announcing the presence of {} devices connected to this node: {}", online.size(), why);
        online.forEach((clientId, connection) -> whenConnected(clientId, connection, () -> publishService.publish(
                publishBuilder.get()
                        .topic(devicePresenceTopic(clientId))
                        .qos(Qos.AT_LEAST_ONCE)
                        .messageExpiryInterval(ReportAge.EXPIRY.toSeconds())
                        .payload(ByteBuffer.wrap(new DeviceStatus(true, connection.isEmpty() ? null : connection).toJson()))
                        .build()).whenComplete((v, error) -> {
                            if (error != null) {
                                LOG.warn("Presence of {} not re-announced: {}", clientId, error.toString());
                            }
                        })));
    }

    private void forgetDisconnected() {
        online.forEach((clientId, connection) -> whenConnected(clientId, connection, () -> { }));
    }

    /**
     * Runs {@code action} if the client is still connected here and has not announced anything else while
     * HiveMQ was asked (an "offline" meanwhile must not be overtaken by a re-announced "online"); forgets
     * its entry if it is not connected.
     */
    private void whenConnected(String clientId, String connection, Runnable action) {
        clients.isClientConnected(clientId).whenComplete((connected, error) -> {
            if (error != null) {
                LOG.debug("Could not ask whether {} is connected: {}", clientId, error.toString());
            } else if (Boolean.TRUE.equals(connected)) {
                if (connection.equals(online.get(clientId))) {
                    action.run();
                }
            } else {
                online.remove(clientId, connection);
            }
        });
    }

    private static String devicePresenceTopic(String clientId) {
        ClientIdentity device = ConnectionIdentity.of(clientId);
        return new Topic.DevicePresence(device.userId(), device.deviceId()).name();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        subscriptions.removeListener(listener);
    }
}
