package dev.parley.system;

import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A real MQTT 5 client (Eclipse Paho) connecting as a device of a new user, with an access token signed
 * with the stack's secret ({@code <data dir>/secrets/token-secret}, as persistence-service would issue
 * it), that sends a chat message at QoS 1 to a registered user and waits for the stored envelope, which
 * the sender's own devices receive too.
 */
final class MqttProbe {

    static final String TEXT = "hello from paho";

    private MqttProbe() {
    }

    /** @return the envelope that arrived on the probe's users/{me}/messages after sending to {@code recipient} */
    static String roundTrip(String serverUri, Path dataDir, UUID recipient) throws MqttException, Exception {
        ClientIdentity me = new ClientIdentity(UUID.randomUUID(), "probe");
        String secret = Files.readString(dataDir.resolve("secrets/token-secret")).strip();
        String token = new AccessTokens(secret, Clock.systemUTC()).issue(me, Duration.ofMinutes(5));
        String topic = "users/" + me.userId() + "/messages";
        CompletableFuture<String> received = new CompletableFuture<>();
        MqttClient client = new MqttClient(serverUri, me.clientId(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                if (t.equals(topic)) {
                    received.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                received.completeExceptionally(new AssertionError("disconnected: " + response));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                received.completeExceptionally(exception);
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
        options.setConnectionTimeout(10);
        options.setUserName(me.userId().toString());
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        client.connect(options);
        try {
            client.subscribe(topic, 1).waitForCompletion(10_000);
            String message = "{\"clientMsgId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + TEXT + "\"}";
            client.publish("users/" + recipient + "/messages", message.getBytes(StandardCharsets.UTF_8), 1, false);
            return received.get(10, TimeUnit.SECONDS);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
