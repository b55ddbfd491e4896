package dev.parley.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ClientIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

/**
 * One device of a chat user, on a {@link TestClient}: subscribed to its user's messages, receipts and
 * events, sorting what arrives by kind, with the sends and acknowledgements chat tests need.
 */
public final class ChatDevice implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HiveMQ's default receive maximum: how many QoS 1 publishes a client may have unacknowledged. */
    public static final int IN_FLIGHT = 10;

    /** What arrived on which of the user's topics. */
    public enum Kind {
        MESSAGES, RECEIPTS, EVENTS,
        /** Typing indicators, on {@code users/{me}/typing} once the test subscribes to it. */
        TYPING
    }

    /** A PUBACK as the client saw it, with its user properties. */
    public record Ack(int reasonCode, String reasonString, Map<String, String> properties) {
    }

    private final ClientIdentity identity;
    private final TestClient client;
    private final Map<Kind, Deque<JsonNode>> sorted = new EnumMap<>(Kind.class);
    /** When each envelope of {@link Kind#MESSAGES} arrived, by message id (for latency measurements). */
    private final Map<String, Long> arrivals = new java.util.concurrent.ConcurrentHashMap<>();

    private ChatDevice(ClientIdentity identity, TestClient client) {
        this.identity = identity;
        this.client = client;
        for (Kind kind : Kind.values()) {
            sorted.put(kind, new ArrayDeque<>());
        }
    }

    /** Connects with a valid token and subscribes to the user's own topics. */
    public static ChatDevice connect(String serverUri, ClientIdentity identity) throws MqttException {
        return subscribed(identity, TestClient.connect(serverUri, identity));
    }

    /**
     * Connects with a valid token, clean start false and this session expiry, as a phone that wants the
     * broker to queue what arrives while it is away, and subscribes to the user's own topics (again, on a
     * reconnect: the same subscriptions, which keeps the queued messages).
     */
    public static ChatDevice connectPersistent(String serverUri, ClientIdentity identity, Duration sessionExpiry)
            throws MqttException {
        MqttConnectionOptions options = TestClient.options(identity);
        options.setCleanStart(false);
        options.setSessionExpiryInterval(sessionExpiry.toSeconds());
        return subscribed(identity, TestClient.connect(serverUri, identity.clientId(), options));
    }

    private static ChatDevice subscribed(ClientIdentity identity, TestClient client) throws MqttException {
        String me = identity.userId().toString();
        for (String topic : List.of("users/" + me + "/messages", "users/" + me + "/receipts", "users/" + me + "/events")) {
            int code = client.subscribe(topic).getReasonCodes()[0];
            if (code >= 0x80) {
                throw new IllegalStateException("subscription to " + topic + " refused with 0x" + Integer.toHexString(code));
            }
        }
        return new ChatDevice(identity, client);
    }

    public ClientIdentity identity() {
        return identity;
    }

    public UUID user() {
        return identity.userId();
    }

    /** Subscribes to one more topic filter and returns the SUBACK's reason code. */
    public int subscribe(String topicFilter) throws MqttException {
        return client.subscribe(topicFilter).getReasonCodes()[0];
    }

    /** Subscribes to one more topic filter and returns the SUBACK's reason code and reason string. */
    public Ack subscribeAck(String topicFilter) throws MqttException {
        return ackOf(client.subscribe(topicFilter));
    }

    /** Sends a chat message to a group and waits for its PUBACK. */
    public Ack sendToGroup(UUID groupId, String clientMsgId, String text) throws MqttException {
        return publish("groups/" + groupId + "/messages", message(clientMsgId, text));
    }

    /** A send's payload, as a device writes it. */
    public static byte[] message(String clientMsgId, String text) {
        return ("{\"clientMsgId\":" + quote(clientMsgId) + ",\"text\":" + quote(text) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a chat message and waits for its PUBACK. */
    public Ack send(UUID to, String clientMsgId, String text) throws MqttException {
        return publish("users/" + to + "/messages", message(clientMsgId, text));
    }

    /** A QoS 1 publish of raw bytes; waits for the PUBACK. */
    public Ack publish(String topic, byte[] payload) throws MqttException {
        IMqttToken token = client.paho().publish(topic, new MqttMessage(payload, 1, false, new MqttProperties()));
        token.waitForCompletion(30_000);
        return ackOf(token);
    }

    /** A QoS 1 publish with the retain flag set; waits for the PUBACK. */
    public Ack publishRetained(String topic, byte[] payload) throws MqttException {
        IMqttToken token = client.paho().publish(topic, new MqttMessage(payload, 1, true, new MqttProperties()));
        token.waitForCompletion(30_000);
        return ackOf(token);
    }

    /** A QoS 0 publish of raw bytes (no acknowledgement to wait for). */
    public void publishAtMostOnce(String topic, byte[] payload) throws MqttException {
        client.paho().publish(topic, new MqttMessage(payload, 0, false, new MqttProperties())).waitForCompletion(30_000);
    }

    /** Completes when the server ends this device's connection (e.g. DISCONNECT 0x87 after a refused publish). */
    public java.util.concurrent.CompletableFuture<org.eclipse.paho.mqttv5.client.MqttDisconnectResponse> disconnected() {
        return client.disconnected();
    }

    /** Whether the broker still holds this device's connection. */
    public boolean isConnected() {
        return client.paho().isConnected();
    }

    /** Publishes without waiting; the token answers later (for concurrent sends). */
    public IMqttToken publishAsync(String topic, String json) throws MqttException {
        return client.paho().publish(topic,
                new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties()));
    }

    /**
     * Publishes every payload to {@code topic} in order, keeping at most {@value #IN_FLIGHT} unacknowledged
     * (HiveMQ's default receive maximum), and returns the acks in order.
     */
    public List<Ack> publishAll(String topic, List<String> payloads) throws MqttException {
        List<Ack> acks = new ArrayList<>();
        Deque<IMqttToken> window = new ArrayDeque<>();
        for (String payload : payloads) {
            if (window.size() == IN_FLIGHT) {
                acks.add(await(window.poll()));
            }
            // Paho frees an in-flight slot a moment after it completes the token: retry until it has.
            window.add(org.awaitility.Awaitility.await("a free in-flight slot").atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .ignoreExceptionsMatching(e -> e instanceof MqttException m
                            && m.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT)
                    .until(() -> publishAsync(topic, payload), java.util.Objects::nonNull));
        }
        while (!window.isEmpty()) {
            acks.add(await(window.poll()));
        }
        return acks;
    }

    private static Ack await(IMqttToken token) throws MqttException {
        token.waitForCompletion(60_000);
        return ackOf(token);
    }

    public static Ack ackOf(IMqttToken token) {
        int code = token.getReasonCodes() == null || token.getReasonCodes().length == 0 ? 0 : token.getReasonCodes()[0];
        MqttWireMessage response = token.getResponse();
        MqttProperties properties = response == null ? null : response.getProperties();
        Map<String, String> userProperties = new java.util.HashMap<>();
        if (properties != null && properties.getUserProperties() != null) {
            properties.getUserProperties().forEach(p -> userProperties.put(p.getKey(), p.getValue()));
        }
        return new Ack(code, properties == null ? null : properties.getReasonString(), Map.copyOf(userProperties));
    }

    /** The next {@code count} arrivals of one kind, in arrival order; fails if they do not come in time. */
    public List<JsonNode> take(Kind kind, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sorted.get(kind).size() < count) {
            long left = deadline - System.nanoTime();
            TestClient.Received next = left <= 0 ? null : client.received().poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError(identity.clientId() + " received " + sorted.get(kind).size() + " of " + count
                        + " " + kind + " within " + timeout.toSeconds() + " s");
            }
            sort(next);
        }
        List<JsonNode> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(sorted.get(kind).poll());
        }
        return taken;
    }

    /** When the envelope of message {@code id} first arrived at this device (epoch ms), if it did. */
    public java.util.Optional<Long> arrivalOf(String id) {
        return java.util.Optional.ofNullable(arrivals.get(id));
    }

    /** What has arrived of one kind and not been taken, without waiting. */
    public List<JsonNode> pending(Kind kind) {
        TestClient.Received next;
        while ((next = client.received().poll()) != null) {
            sort(next);
        }
        return List.copyOf(sorted.get(kind));
    }

    /** What has arrived of one kind and not been taken, removed; without waiting. */
    public List<JsonNode> drain(Kind kind) {
        List<JsonNode> arrived = pending(kind);
        sorted.get(kind).clear();
        return arrived;
    }

    @Override
    public void close() throws MqttException {
        client.close();
    }

    private void sort(TestClient.Received received) {
        Kind kind = received.topic().endsWith("/messages") ? Kind.MESSAGES
                : received.topic().endsWith("/receipts") ? Kind.RECEIPTS
                : received.topic().endsWith("/typing") ? Kind.TYPING : Kind.EVENTS;
        try {
            JsonNode payload = JSON.readTree(received.text());
            sorted.get(kind).add(payload);
            if (kind == Kind.MESSAGES && payload.has("id")) {
                arrivals.putIfAbsent(payload.get("id").asText(), received.arrivedAtMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON on " + received.topic() + ": " + received.text(), e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
