package dev.parley.client;

import static org.awaitility.Awaitility.await;

import dev.parley.client.session.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Checks that presence flows through the stack: a probe device subscribes to its own user's presence (always
 * allowed) and announces itself online, again each second, until presence-bridge's retained answer arrives. An
 * announcement made before the bridge subscribed is lost, hence the repeats.
 */
final class PresenceProbe {

    private PresenceProbe() {
    }

    static void awaitFlowing(ChatStack stack, Duration timeout) {
        Credentials probe = stack.newUser("probe", "probe");
        AtomicBoolean online = new AtomicBoolean();
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient(stack.mqtt().toString(), probe.clientId(), new MemoryPersistence());
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (new String(message.getPayload(), StandardCharsets.UTF_8).contains("\"online\"")) {
                        online.set(true);
                    }
                }

                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(probe.userId().toString());
            options.setPassword(probe.token().getBytes(StandardCharsets.UTF_8));
            client.connect(options).waitForCompletion(30_000);
            client.subscribe("presence/" + probe.userId(), 1).waitForCompletion(30_000);
            MqttAsyncClient connected = client;
            byte[] announcement = "{\"status\":\"online\",\"connection\":\"probe\"}".getBytes(StandardCharsets.UTF_8);
            await("presence-bridge turns a device's announcement into the user's presence").atMost(timeout)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        if (!online.get()) {
                            connected.publish("presence/" + probe.userId() + "/" + probe.deviceId(),
                                    new MqttMessage(announcement, 1, false, new MqttProperties()));
                        }
                        return online.get();
                    });
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IllegalStateException("the presence probe could not use the broker: " + e, e);
        } finally {
            if (client != null) {
                try {
                    client.disconnectForcibly(0, 1_000, false);
                    client.close(true);
                } catch (org.eclipse.paho.mqttv5.common.MqttException ignored) {
                    // a probe that lingers until the JVM exits is harmless
                }
            }
        }
    }
}
