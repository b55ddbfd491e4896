package dev.parley.client.connection;

import dev.parley.client.session.Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT 5 connection (Eclipse Paho) of a device, with futures instead of Paho's listeners. A link is
 * used for one connection only: a reconnect makes a new one, so nothing of a dead connection (Paho's
 * in-flight state, late callbacks) leaks into the next. The broker keeps the session (clean start
 * false), and the outbox, not Paho, resends what was unconfirmed.
 */
public final class MqttLink {

    /** Seven days: a phone away for a weekend still finds its queued messages (catch-up covers longer). */
    static final long SESSION_EXPIRY_SECONDS = Duration.ofDays(7).toSeconds();

    /** Reason code of a DISCONNECT that asks the broker to publish the will (this device's "offline"). */
    static final int DISCONNECT_WITH_WILL = 0x04;

    /** The message the broker publishes for this connection when it ends (QoS 1, not retained). */
    public record Will(String topic, byte[] payload) {
    }

    /** What arrives on a link; called on Paho's thread, one call at a time, in arrival order. */
    public interface Handler {
        void message(String topic, byte[] payload);

        /** The connection ended: {@code reasonCode} of the server's DISCONNECT, or -1 if the network dropped. */
        void lost(int reasonCode, String reason);
    }

    private final MqttAsyncClient client;

    private MqttLink(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects; the future fails with Paho's MqttException (its reason code is the CONNACK's). */
    public static CompletableFuture<MqttLink> connect(URI server, Credentials credentials, Duration keepAlive,
                                                      Will will, Handler handler) {
        CompletableFuture<MqttLink> connected = new CompletableFuture<>();
        try {
            MqttAsyncClient client = new MqttAsyncClient(server.toString(), credentials.clientId(), new MemoryPersistence());
            MqttLink link = new MqttLink(client);
            client.setCallback(new Callback(handler));
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
            options.setKeepAliveInterval((int) keepAlive.toSeconds());
            options.setConnectionTimeout(10);
            options.setAutomaticReconnect(false); // the client's own backoff decides, and stops on auth failures
            options.setUserName(credentials.userId().toString());
            options.setPassword(credentials.token().getBytes(StandardCharsets.UTF_8));
            options.setWill(will.topic(), new MqttMessage(will.payload(), 1, false, new MqttProperties()));
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected.complete(link);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    link.close();
                    connected.completeExceptionally(failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            connected.completeExceptionally(e);
        }
        return connected;
    }

    /** Subscribes at QoS 1; completes with the SUBACK's reason codes, in the order of {@code topics}. */
    public CompletableFuture<int[]> subscribe(String... topics) {
        CompletableFuture<int[]> done = new CompletableFuture<>();
        int[] qos = new int[topics.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(topics, qos, null, listener(done, IMqttToken::getReasonCodes));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Publishes at QoS 1; completes with the PUBACK (whatever its reason code), fails if the connection did. */
    public CompletableFuture<Ack> publish(String topic, byte[] payload) {
        CompletableFuture<Ack> done = new CompletableFuture<>();
        try {
            client.publish(topic, new MqttMessage(payload, 1, false, new MqttProperties()), null,
                    listener(done, MqttLink::ackOf));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Publishes at QoS 0 (ephemeral things such as typing): nothing to wait for, nothing resent. */
    public void publishAtMostOnce(String topic, byte[] payload) {
        try {
            client.publish(topic, new MqttMessage(payload, 0, false, new MqttProperties()));
        } catch (MqttException | RuntimeException e) {
            // the connection is going: a lost typing update is only a stale indicator
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Leaves on purpose: DISCONNECT 0x04 ("disconnect with will"), so the broker publishes this device's
     * offline at once, as when the connection dies; then closes.
     */
    public void leave() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000, null, null, DISCONNECT_WITH_WILL, new MqttProperties()).waitForCompletion(2_000);
            }
        } catch (MqttException | RuntimeException ignored) {
            // gone already: the broker publishes the will when it notices
        }
        close();
    }

    /** Ends the connection at once (no waiting for in-flight messages: the outbox resends them). */
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000, false);
            }
        } catch (MqttException | RuntimeException ignored) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // already closed
        }
    }

    private static Ack ackOf(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        int code = codes == null || codes.length == 0 ? 0 : codes[0];
        String reason = token.getResponseProperties() == null ? null : token.getResponseProperties().getReasonString();
        return new Ack(code, reason);
    }

    private static <T> MqttActionListener listener(CompletableFuture<T> done, java.util.function.Function<IMqttToken, T> result) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.complete(result.apply(token));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                done.completeExceptionally(failure);
            }
        };
    }

    private record Callback(Handler handler) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            handler.message(topic, message.getPayload());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            int code = response.getReturnCode();
            String reason = response.getReasonString();
            if (response.getException() != null && code == 0) {
                code = -1;
                reason = response.getException().getMessage();
            }
            handler.lost(code, reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // protocol errors end the connection too, and disconnected() follows
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
