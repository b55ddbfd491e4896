package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A logged-in device on a real MQTT connection, subscribed to its user's topics, recording what arrives. */
final class Device implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Arrival(String topic, JsonNode payload) {
    }

    private final MqttAsyncClient client;
    private final RestClient.Account account;
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    private Device(MqttAsyncClient client, RestClient.Account account) {
        this.client = client;
        this.account = account;
    }

    static Device connect(String serverUri, RestClient.Account account) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, account.userId() + "/" + account.deviceId(), new MemoryPersistence());
        Device device = new Device(client, account);
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    device.arrivals.add(new Arrival(topic, JSON.readTree(message.getPayload())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(30);
        options.setUserName(account.userId().toString());
        options.setPassword(account.token().getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(30_000);
        for (String kind : List.of("messages", "receipts", "events")) {
            client.subscribe("users/" + account.userId() + "/" + kind, 1).waitForCompletion(10_000);
        }
        return device;
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code. */
    int publish(String topic, String json) throws MqttException {
        IMqttToken token = client.publish(topic, new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false,
                new MqttProperties()));
        token.waitForCompletion(30_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** Announces this device online, as the app does right after CONNACK (README, Presence). */
    int announceOnline() throws MqttException {
        return publish("presence/" + account.userId() + "/" + account.deviceId(),
                "{\"status\":\"online\",\"connection\":\"" + UUID.randomUUID() + "\"}");
    }

    /** Everything that has arrived so far on the user's messages topic. */
    List<JsonNode> messages() {
        return arrivals.stream().filter(a -> a.topic().endsWith("/messages")).map(Arrival::payload).toList();
    }

    /** Every receipt that has arrived so far on the user's receipts topic. */
    List<JsonNode> receipts() {
        return arrivals.stream().filter(a -> a.topic().endsWith("/receipts")).map(Arrival::payload).toList();
    }

    /** Everything that has arrived so far on the user's events topic. */
    List<JsonNode> events() {
        return arrivals.stream().filter(a -> a.topic().endsWith("/events")).map(Arrival::payload).toList();
    }

    boolean received(String clientMsgId) {
        return messages().stream().anyMatch(m -> m.path("clientMsgId").asText().equals(clientMsgId));
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close();
    }
}
