package dev.parley.broker.testing;

import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.tokens.ServiceTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A real Eclipse Paho MQTT 5 client as an app would use it, recording what arrives and how the server
 * ended the connection. Paho does not throw on PUBACK/SUBACK codes ≥ 0x80: read {@link IMqttToken#getReasonCodes()}
 * and {@code getResponseProperties().getReasonString()}. On a refused CONNECT it throws an
 * {@link MqttException} whose reason code is the CONNACK's, but drops the CONNACK's reason string
 * (see {@link RawMqtt} for that).
 */
public final class TestClient implements AutoCloseable {

    /** A message as it arrived. */
    public record Received(String topic, MqttMessage message, long arrivedAtMillis) {
        public String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    private final MqttAsyncClient paho;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
    private IMqttToken connectToken;

    private TestClient(MqttAsyncClient paho) {
        this.paho = paho;
    }

    /** A new user's device. */
    public static ClientIdentity newDevice(String deviceId) {
        return new ClientIdentity(UUID.randomUUID(), deviceId);
    }

    /** Connect options of a device with a valid token from {@link TestStack#tokens()}. */
    public static MqttConnectionOptions options(ClientIdentity device) {
        return options(device.userId().toString(),
                TestStack.tokens().issue(device, Duration.ofHours(1)).getBytes(StandardCharsets.UTF_8));
    }

    /** Connect options with these credentials (either may be null: not sent). */
    public static MqttConnectionOptions options(String userName, byte[] password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        // Generous: a broker JVM that just started, on a busy 2-core machine, can take seconds to answer.
        options.setConnectionTimeout(30);
        options.setAutomaticReconnect(false);
        options.setUserName(userName);
        options.setPassword(password);
        return options;
    }

    /** Connects as an instance of presence-bridge with a valid service token, as the bridge does. */
    public static TestClient connectService(String serverUri, String instance) throws MqttException {
        ServiceClient service = new ServiceClient(ServiceClient.PRESENCE_BRIDGE, instance);
        String token = new ServiceTokens(TestStack.TOKEN_SECRET, java.time.Clock.systemUTC())
                .issue(service.service(), Duration.ofHours(1));
        return connect(serverUri, service.clientId(), options(service.userName(), token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Connects the device with a valid token; fails the test if the broker refuses. */
    public static TestClient connect(String serverUri, ClientIdentity device) throws MqttException {
        return connect(serverUri, device.clientId(), options(device));
    }

    /** Connects; throws the MqttException carrying the CONNACK's reason code if refused. */
    public static TestClient connect(String serverUri, String clientId, MqttConnectionOptions options)
            throws MqttException {
        TestClient client = new TestClient(new MqttAsyncClient(serverUri, clientId, new MemoryPersistence()));
        client.paho.setCallback(client.new Recording());
        try {
            client.connectToken = client.paho.connect(options);
            client.connectToken.waitForCompletion(35_000);
        } catch (MqttException e) {
            try {
                client.paho.disconnectForcibly(0, 1_000, false);
                client.paho.close(true);
            } catch (MqttException cleanup) {
                e.addSuppressed(cleanup); // keep the reason the connect failed, not the cleanup's
            }
            throw e;
        }
        return client;
    }

    public MqttAsyncClient paho() {
        return paho;
    }

    /** The CONNACK's properties (e.g. the server's maximum packet size). */
    public MqttProperties connack() {
        return connectToken.getResponseProperties();
    }

    /** The CONNACK's session present flag: the broker kept this client id's session. */
    public boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    public BlockingQueue<Received> received() {
        return received;
    }

    /** Completes when the server ends the connection (DISCONNECT code and reason string, or the cause). */
    public CompletableFuture<MqttDisconnectResponse> disconnected() {
        return disconnected;
    }

    /** One subscription at QoS 1; the token holds the SUBACK code and reason string. */
    public IMqttToken subscribe(String topicFilter) throws MqttException {
        IMqttToken token = paho.subscribe(topicFilter, 1);
        token.waitForCompletion(10_000);
        return token;
    }

    /** A QoS 1 publish; the token holds the PUBACK code and reason string. */
    public IMqttToken publish(String topic, String payload, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        IMqttToken token = paho.publish(topic, message);
        token.waitForCompletion(10_000);
        return token;
    }

    @Override
    public void close() throws MqttException {
        try {
            if (paho.isConnected() && !disconnected.isDone()) {
                paho.disconnect().waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            if (!disconnected.isDone()) {
                throw e;
            }
            // the server ended the connection meanwhile: nothing left to close
        } finally {
            paho.close(true);
        }
    }

    private final class Recording implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message, System.currentTimeMillis()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected.complete(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
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
