package dev.parley.presence.testing;

import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device as the presence contract asks: it connects with the will {@code {"status":"offline"}} on its own
 * {@code presence/{userId}/{deviceId}} and announces {@code {"status":"online"}} once connected.
 */
public final class Device implements AutoCloseable {

    /** MQTT 5 DISCONNECT reason 0x04: "disconnect with will message", so a clean leave says offline too. */
    public static final int DISCONNECT_WITH_WILL = 0x04;

    private final MqttAsyncClient paho;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private Device(MqttAsyncClient paho) {
        this.paho = paho;
    }

    public static Device connect(String serverUri, ClientIdentity identity, String tokenSecret, int keepAliveSeconds)
            throws MqttException {
        MqttAsyncClient paho = new MqttAsyncClient(serverUri, identity.clientId(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval(keepAliveSeconds);
        options.setConnectionTimeout(30);
        options.setAutomaticReconnect(false);
        options.setUserName(identity.userId().toString());
        options.setPassword(new AccessTokens(tokenSecret, Clock.systemUTC()).issue(identity, Duration.ofHours(1))
                .getBytes(StandardCharsets.UTF_8));
        String connection = UUID.randomUUID().toString();
        String topic = "presence/" + identity.userId() + "/" + identity.deviceId();
        options.setWill(topic, message(offline(connection)));
        Device device = new Device(paho);
        paho.setCallback(Callbacks.onMessage((received, message) ->
                device.messages.add(new String(message.getPayload(), StandardCharsets.UTF_8))));
        paho.connect(options).waitForCompletion(35_000);
        paho.publish(topic, message(online(connection))).waitForCompletion(10_000);
        return device;
    }

    /** Subscribes to the user's own chat messages; the SUBACK reason code. */
    public int subscribeToMessages(UUID me) throws MqttException {
        IMqttToken token = paho.subscribe("users/" + me + "/messages", 1);
        token.waitForCompletion(10_000);
        return token.getReasonCodes()[0];
    }

    /** A 1:1 chat message ({@code {"clientMsgId","text"}}); the PUBACK reason code. */
    public int send(UUID to, String clientMsgId, String text) throws MqttException {
        IMqttToken token = paho.publish("users/" + to + "/messages", message("{\"clientMsgId\":\"" + clientMsgId
                + "\",\"text\":\"" + text + "\"}"));
        token.waitForCompletion(30_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** The chat envelopes received, as JSON text. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The announcement after CONNACK. */
    public static String online(String connection) {
        return "{\"status\":\"online\",\"connection\":\"" + connection + "\"}";
    }

    /** The will. */
    public static String offline(String connection) {
        return "{\"status\":\"offline\",\"connection\":\"" + connection + "\"}";
    }

    private static MqttMessage message(String json) {
        return new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties());
    }

    /** A clean leave that still publishes the will (reason 0x04). */
    public void leave() throws MqttException {
        paho.disconnect(5_000, null, null, DISCONNECT_WITH_WILL, new MqttProperties()).waitForCompletion(10_000);
        paho.close(true);
    }

    /** Drops the client's side without a DISCONNECT (its socket closes). */
    public void crash() {
        try {
            paho.disconnectForcibly(0, 0, false);
        } catch (MqttException ignored) {
            // gone either way
        }
    }

    @Override
    public void close() {
        try {
            if (paho.isConnected()) {
                paho.disconnectForcibly(0, 1_000, false);
            }
            paho.close(true);
        } catch (MqttException ignored) {
            // test cleanup
        }
    }
}
