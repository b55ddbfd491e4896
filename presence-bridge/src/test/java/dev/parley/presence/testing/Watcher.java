package dev.parley.presence.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A friend's device watching {@code presence/{user}}: every update with the moment it arrived. */
public final class Watcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One presence update as the friend received it. */
    public record Update(Instant receivedAt, boolean retained, JsonNode json) {
        public String status() {
            return json.path("status").asText();
        }

        public String lastSeen() {
            return json.path("lastSeen").isNull() ? null : json.path("lastSeen").asText();
        }
    }

    private final MqttAsyncClient paho;
    private final List<Update> updates = new CopyOnWriteArrayList<>();

    private Watcher(MqttAsyncClient paho) {
        this.paho = paho;
    }

    /** Connects as {@code me} and subscribes to {@code friend}'s presence; returns the SUBACK code via {@link #subscribe}. */
    public static Watcher connect(String serverUri, ClientIdentity me, String tokenSecret) throws MqttException {
        MqttAsyncClient paho = new MqttAsyncClient(serverUri, me.clientId(), new MemoryPersistence());
        Watcher watcher = new Watcher(paho);
        paho.setCallback(Callbacks.onMessage(watcher::messageArrived));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(30);
        options.setUserName(me.userId().toString());
        options.setPassword(new AccessTokens(tokenSecret, Clock.systemUTC()).issue(me, Duration.ofHours(1))
                .getBytes(StandardCharsets.UTF_8));
        paho.connect(options).waitForCompletion(35_000);
        return watcher;
    }

    /** The SUBACK reason code of a subscription to {@code presence/{user}}. */
    public int subscribe(UUID user) throws MqttException {
        IMqttToken token = paho.subscribe("presence/" + user, 1);
        token.waitForCompletion(10_000);
        return token.getReasonCodes()[0];
    }

    public List<Update> updates() {
        return List.copyOf(updates);
    }

    public Update last() {
        return updates.isEmpty() ? null : updates.get(updates.size() - 1);
    }

    private void messageArrived(String topic, MqttMessage message) {
        try {
            updates.add(new Update(Instant.now(), message.isRetained(), JSON.readTree(message.getPayload())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (paho.isConnected()) {
                paho.disconnect().waitForCompletion(5_000);
            }
            paho.close(true);
        } catch (MqttException ignored) {
            // test cleanup
        }
    }
}
