package dev.parley.benchmark.load;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.parley.benchmark.stack.Target;
import dev.parley.protocol.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One simulated phone: an MQTT 5 connection (HiveMQ MQTT client, netty, all clients of the JVM share
 * one event loop) as client {@code {userId}/{deviceId}} with the target's password, subscribed at QoS 1
 * to the device's own topics. Messages arrive on the client's event loop: handlers must be short.
 */
public final class Device {

    /** What a Parley device subscribes to (on plain HiveMQ the same topics, just topics). */
    public static List<String> ownTopics(ClientIdentity device) {
        String me = "users/" + device.userId();
        return List.of(me + "/messages", me + "/receipts", me + "/events");
    }

    private final ClientIdentity identity;
    private final Mqtt5AsyncClient client;

    private Device(ClientIdentity identity, Mqtt5AsyncClient client) {
        this.identity = identity;
        this.client = client;
    }

    /** Connects (clean start, no session kept) and subscribes; completes when the SUBACK is in. */
    public static CompletableFuture<Device> connect(Target target, ClientIdentity identity, List<String> topics,
                                                    Consumer<Mqtt5Publish> onMessage) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
                .identifier(identity.clientId())
                .serverHost(target.host())
                .serverPort(target.mqttPort())
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, onMessage);
        Device device = new Device(identity, client);
        return client.connectWith()
                .cleanStart(true)
                .keepAlive(120)
                .simpleAuth()
                .username(identity.userId().toString())
                .password(target.password(identity).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .thenCompose(connAck -> topics.isEmpty() ? CompletableFuture.completedFuture(null)
                        : client.subscribe(subscription(topics)).thenAccept(subAck -> {
                            for (Mqtt5SubAckReasonCode code : subAck.getReasonCodes()) {
                                if (code.isError()) {
                                    throw new IllegalStateException(identity.clientId() + " could not subscribe: "
                                            + code + " " + subAck.getReasonString().map(Object::toString).orElse(""));
                                }
                            }
                        }))
                .thenApply(v -> device);
    }

    public ClientIdentity identity() {
        return identity;
    }

    /** A QoS 1 publish; completes at the PUBACK (with an error in the result when refused). */
    public CompletableFuture<Mqtt5PublishResult> publish(String topic, byte[] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    public CompletableFuture<Void> disconnect() {
        return client.disconnect().exceptionally(e -> null);
    }

    private static Mqtt5Subscribe subscription(List<String> topics) {
        return Mqtt5Subscribe.builder().addSubscriptions(topics.stream()
                .map(topic -> Mqtt5Subscription.builder().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).build()))
                .build();
    }
}
