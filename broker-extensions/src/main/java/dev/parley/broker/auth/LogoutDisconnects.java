package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.DeviceLogouts;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connection of a device that logged out, on whichever node it is connected to: every node
 * listens on {@link DeviceLogouts#CHANNEL}, where persistence-service announces each logout, and
 * disconnects that client if it is here (the others find nothing to do). The will is published, so
 * friends see the device go offline. Its reconnects are refused at CONNECT ({@link TokenAuthenticator}
 * reads the same revoked row). A logout announced while Redis is away is not heard here; persistence-service
 * then answers the logout with 503 so the app retries.
 */
public final class LogoutDisconnects implements AutoCloseable {

    static final String REASON = "this device was logged out: log in again (POST /v1/tokens) for a new access token";
    private static final Logger LOG = LoggerFactory.getLogger(LogoutDisconnects.class);

    private final ClientService clients;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final RedisPubSubAdapter<String, String> listener;

    public LogoutDisconnects(ClientService clients, StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.clients = clients;
        this.subscriptions = subscriptions;
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
        String clientId = device.get().clientId();
        clients.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, REASON)
                .whenComplete((disconnected, failure) -> {
                    if (failure != null) {
                        LOG.warn("Device {} of user {} logged out, but its connection here could not be closed: {}",
                                device.get().deviceId(), device.get().userId(), failure.toString());
                    } else if (Boolean.TRUE.equals(disconnected)) {
                        LOG.info("Closed the connection of device {} of user {}: it logged out",
                                device.get().deviceId(), device.get().userId());
                    }
                });
    }

    @Override
    public void close() {
        subscriptions.removeListener(listener);
    }
}
