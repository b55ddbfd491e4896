package dev.parley.broker.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.TestClient;
import dev.parley.protocol.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that leaves with a plain DISCONNECT (reason 0x00, which in MQTT discards the will) is still
 * reported offline to presence-bridge: the broker turns the leave into "disconnect with will message".
 */
@Timeout(120)
class CleanLeaveTest {

    private static final String BRIDGE_SUBSCRIPTION = "$share/presence-bridge/presence/+/+";

    @TempDir
    static Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedParley.start(root, "clean_leave");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPlainDisconnectPublishesTheDevicesOfflineWill() throws Exception {
        ClientIdentity phone = new ClientIdentity(broker.newUser("leaver"), "phone");
        String topic = "presence/" + phone.userId() + "/phone";
        String connection = UUID.randomUUID().toString();
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "clean-leave")) {
            assertThat(bridge.subscribe(BRIDGE_SUBSCRIPTION).getReasonCodes()).containsExactly(1);

            TestClient device = TestClient.connect(broker.tcpUri(), phone.clientId(), withOfflineWill(phone, topic, connection));
            assertThat(device.publish(topic, "{\"status\":\"online\",\"connection\":\"" + connection + "\"}", false)
                    .getReasonCodes()[0]).isLessThan(0x80);
            TestClient.Received online = bridge.received().poll(10, TimeUnit.SECONDS);
            assertThat(online).isNotNull();
            assertThat(online.text()).contains("\"online\"");

            device.paho().disconnect().waitForCompletion(10_000); // reason 0x00: normal disconnection
            device.close();

            TestClient.Received offline = bridge.received().poll(10, TimeUnit.SECONDS);
            assertThat(offline).as("the will, published although the device left with reason 0x00").isNotNull();
            assertThat(offline.topic()).isEqualTo(topic);
            assertThat(offline.text()).isEqualTo("{\"status\":\"offline\",\"connection\":\"" + connection + "\"}");
        }
    }

    private static MqttConnectionOptions withOfflineWill(ClientIdentity device, String topic, String connection) {
        MqttConnectionOptions options = TestClient.options(device);
        options.setWill(topic, new MqttMessage(("{\"status\":\"offline\",\"connection\":\"" + connection + "\"}")
                .getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties()));
        return options;
    }
}
