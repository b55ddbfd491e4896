package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.DeviceLogouts;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connection of a device that logged out, on whichever node it is connected to: every node
 * listens on {@link DeviceLogouts#CHANNEL}, where persistence-service announces each logout, and
 * disconnects that client if it is here (the others find nothing to do). The will is published, so
 * friends see the device go offline. Its reconnects are refused at CONNECT ({@link TokenAuthenticator}
 * reads the same revoked row). A logout announced while Redis is away is not heard here; persistence-service
 * then answers the logout with 503 so the app retries.
 *
 * <p>A CONNECT whose session check read the device's row just before the logout revoked it is accepted,
 * and its connection may not exist yet when the announcement arrives. So each logout is checked again
 * after {@code rechecks}: if the device is connected here and its row is still revoked (it did not log
 * in again meanwhile), that connection is closed too. A session check takes at most the store check
 * timeout, so a recheck that long after the announcement finds every such connection.
 */
public final class LogoutDisconnects implements AutoCloseable {

    static final String REASON = "this device was logged out: log in again (POST /v1/tokens) for a new access token";
    private static final Logger LOG = LoggerFactory.getLogger(LogoutDisconnects.class);

    private final ClientService clients;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final DeviceSessions sessions;
    private final List<Duration> rechecks;
    private final ScheduledExecutorService timer;
    private final RedisPubSubAdapter<String, String> listener;

    /**
     * @param sessions whether a device's row is revoked (the same check CONNECT makes)
     * @param rechecks when, after a logout is heard, the device is looked for again
     * @param timer    runs the rechecks; its owner shuts it down
     */
    public LogoutDisconnects(ClientService clients, StatefulRedisPubSubConnection<String, String> subscriptions,
                             DeviceSessions sessions, List<Duration> rechecks, ScheduledExecutorService timer) {
        this.clients = clients;
        this.subscriptions = subscriptions;
        this.sessions = sessions;
        this.rechecks = List.copyOf(rechecks);
        this.timer = timer;
        this.listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (DeviceLogouts.CHANNEL.equals(channel)) {
                    onLogout(message);
                }
            }
        };
        subscriptions.addListener(listener);
        subscriptions.sync().subscribe(DeviceLogouts.CHANNEL);
    }

    private void onLogout(String message) {
        Optional<ClientIdentity> device = DeviceLogouts.parse(message);
        if (device.isEmpty()) {
            LOG.warn("Ignoring a logout on {} that names no device: '{}'", DeviceLogouts.CHANNEL, message);
            return;
        }
        disconnect(device.get(), "it logged out");
        for (Duration after : rechecks) {
            timer.schedule(() -> recheck(device.get()), after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void recheck(ClientIdentity device) {
        clients.isClientConnected(device.clientId())
                .thenCompose(connected -> connected
                        ? sessions.loggedOut(device)
                        : CompletableFuture.completedFuture(false))
                .whenComplete((stillLoggedOut, failure) -> {
                    if (failure != null) {
                        LOG.warn("Could not check again whether device {} of user {}, which logged out, is connected"
                                + " here: {}", device.deviceId(), device.userId(), failure.toString());
                    } else if (stillLoggedOut) {
                        disconnect(device, "it connected while its logout was being announced");
                    }
                });
    }

    private void disconnect(ClientIdentity device, String why) {
        clients.disconnectClient(device.clientId(), false, DisconnectReasonCode.NOT_AUTHORIZED, REASON)
                .whenComplete((disconnected, failure) -> {
                    if (failure != null) {
                        LOG.warn("Device {} of user {} logged out, but its connection here could not be closed: {}",
                                device.deviceId(), device.userId(), failure.toString());
                    } else if (Boolean.TRUE.equals(disconnected)) {
                        LOG.info("Closed the connection of device {} of user {}: {}", device.deviceId(),
                                device.userId(), why);
                    }
                });
    }

    @Override
    public void close() {
        subscriptions.removeListener(listener);
    }
}
