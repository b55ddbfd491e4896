package dev.parley.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.Http;
import dev.parley.broker.testing.TestClient;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.Topic;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real HiveMQ with the extension embedded (constructed with its configuration, as the dev launcher
 * and later feature tests do), real Paho MQTT 5 clients over TCP and WebSocket, each authenticated as a
 * device with its access token. One broker for the class: starting one takes ~2 s, stopping ~4 s.
 */
@Timeout(180)
class EmbeddedBrokerTest {

    @TempDir
    static Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedParley.start(root, "embedded");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theBrokerIsReadyOnceTheExtensionHasStarted() throws Exception {
        // HiveMQ opens its listeners only after extensions have started, so no waiting is needed here.
        HttpResponse<String> ready = Http.get("http://127.0.0.1:" + broker.healthPort() + "/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo(
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"cassandra\",\"status\":\"UP\"},{\"name\":\"redis\",\"status\":\"UP\"}]}");
    }

    /**
     * Bob's device sends a chat message to Alice's topic; Alice's device receives the stored envelope,
     * over every combination of transports.
     */
    @ParameterizedTest(name = "{0} publisher -> {1} subscriber")
    @CsvSource({"tcp, tcp", "websocket, websocket", "tcp, websocket"})
    void qos1RoundTrip(String publisherTransport, String subscriberTransport) throws Exception {
        ClientIdentity alice = new ClientIdentity(broker.newUser("alice"), "phone");
        ClientIdentity bob = new ClientIdentity(broker.newUser("bob"), "laptop");
        String topic = new Topic.UserMessages(alice.userId()).name();
        String text = "hello over " + publisherTransport;
        try (TestClient subscriber = TestClient.connect(uri(subscriberTransport), alice);
             TestClient publisher = TestClient.connect(uri(publisherTransport), bob)) {
            IMqttToken subscribed = subscriber.subscribe(topic);
            assertThat(subscribed.getReasonCodes()).containsExactly(1); // granted QoS 1

            IMqttToken published = publisher.publish(topic,
                    "{\"clientMsgId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + text + "\"}", false);
            assertThat(published.getReasonCodes()).containsExactly(0); // PUBACK: success

            TestClient.Received delivered = subscriber.received().poll(10, TimeUnit.SECONDS);
            assertThat(delivered).as("message delivered to the subscriber").isNotNull();
            assertThat(delivered.topic()).isEqualTo(topic);
            assertThat(delivered.text()).contains("\"text\":\"" + text + "\"").contains("\"seq\":1");
            assertThat(delivered.message().getQos()).isEqualTo(1);
        }
    }

    private static String uri(String transport) {
        return transport.equals("tcp") ? broker.home().tcpUri() : broker.home().websocketUri();
    }
}
