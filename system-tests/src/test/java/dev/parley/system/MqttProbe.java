package dev.parley.system;

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

/** A real MQTT 5 client (Eclipse Paho) that publishes at QoS 1 and receives its own message back. */
final class MqttProbe {

    static final String PAYLOAD = "hello from paho";

    private MqttProbe() {
    }

    static String roundTrip(String serverUri) throws MqttException, Exception {
        String topic = "probe/" + UUID.randomUUID();
        CompletableFuture<String> received = new CompletableFuture<>();
        MqttClient client = new MqttClient(serverUri, "probe-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                received.complete(new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
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
        client.connect(options);
        try {
            client.subscribe(topic, 1).waitForCompletion(10_000);
            client.publish(topic, PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
            return received.get(10, TimeUnit.SECONDS);
        } finally {
            client.disconnect();
            client.close();
        }
    }
}
