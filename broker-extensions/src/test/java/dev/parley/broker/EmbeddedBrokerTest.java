package dev.parley.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.parley.broker.testing.BrokerHome;
import dev.parley.broker.testing.Http;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Ports;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real HiveMQ with the extension embedded (constructed with its configuration, as the dev launcher
 * and later feature tests do), real Paho MQTT 5 clients over TCP and WebSocket. One broker for the
 * class: starting one takes ~2 s, stopping ~4 s.
 */
@Timeout(180)
class EmbeddedBrokerTest {

    @TempDir
    static Path root;
    private static BrokerHome home;
    private static EmbeddedHiveMQ hivemq;
    private static int healthPort;

    @BeforeAll
    static void startBroker() throws Exception {
        home = BrokerHome.create(root);
        healthPort = Ports.free();
        ParleyExtensionMain main = new ParleyExtensionMain(
                TestStack.config(TestStack.migratedKeyspace("embedded"), healthPort));
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.conf())
                .withDataFolder(home.data())
                .withExtensionsFolder(home.extensions())
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("parley-extension")
                        .withName("Parley")
                        .withVersion("test")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(main)
                        .build())
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (hivemq != null) {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        }
    }

    @Test
    void theBrokerIsReadyOnceTheExtensionHasStarted() throws Exception {
        // HiveMQ opens its listeners only after extensions have started, so no waiting is needed here.
        HttpResponse<String> ready = Http.get("http://127.0.0.1:" + healthPort + "/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo(
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"cassandra\",\"status\":\"UP\"},{\"name\":\"redis\",\"status\":\"UP\"}]}");
    }

    @ParameterizedTest(name = "{0} publisher -> {1} subscriber")
    @CsvSource({"tcp, tcp", "websocket, websocket", "tcp, websocket"})
    void qos1RoundTrip(String publisherTransport, String subscriberTransport) throws Exception {
        String topic = "test/" + UUID.randomUUID();
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = connect(subscriberTransport, received);
        MqttAsyncClient publisher = connect(publisherTransport, new LinkedBlockingQueue<>());
        try {
            IMqttToken subscribed = subscriber.subscribe(topic, 1);
            subscribed.waitForCompletion(10_000);
            assertThat(subscribed.getReasonCodes()).containsExactly(1); // granted QoS 1

            MqttMessage message = new MqttMessage(("hello over " + publisherTransport).getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            IMqttToken published = publisher.publish(topic, message);
            published.waitForCompletion(10_000);
            assertThat(published.getReasonCodes()).containsExactly(0); // PUBACK: success

            MqttMessage delivered = received.poll(10, TimeUnit.SECONDS);
            assertThat(delivered).as("message delivered to the subscriber").isNotNull();
            assertThat(new String(delivered.getPayload(), StandardCharsets.UTF_8))
                    .isEqualTo("hello over " + publisherTransport);
            assertThat(delivered.getQos()).isEqualTo(1);
        } finally {
            disconnect(publisher);
            disconnect(subscriber);
        }
    }

    private static MqttAsyncClient connect(String transport, BlockingQueue<MqttMessage> received) throws MqttException {
        String uri = transport.equals("tcp") ? home.tcpUri() : home.websocketUri();
        MqttAsyncClient client = new MqttAsyncClient(uri, "test-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new Collecting(received));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(15_000);
        assertThat(client.isConnected()).as("connected over " + transport).isTrue();
        return client;
    }

    private static void disconnect(MqttAsyncClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close();
    }

    private record Collecting(BlockingQueue<MqttMessage> received) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(message);
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
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
