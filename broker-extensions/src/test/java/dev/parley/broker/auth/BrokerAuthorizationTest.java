package dev.parley.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.broker.testing.BrokerHome;
import dev.parley.devstack.BrokerConfig;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.RawMqtt;
import dev.parley.broker.testing.TestClient;
import dev.parley.broker.testing.TestStack;
import dev.parley.protocol.ClientIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic permissions as a real Paho MQTT 5 client meets them: SUBACK and PUBACK reason codes with their
 * reason strings. A refused PUBLISH is followed by HiveMQ's DISCONNECT (0x87), so each test has its own
 * connection. HiveMQ ends each subscription's reason string with ". " in the SUBACK (it joins those of
 * one SUBSCRIBE). One broker for the class.
 */
@Timeout(120)
class BrokerAuthorizationTest {

    private static final int GRANTED_QOS_1 = 1;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int TOPIC_FILTER_INVALID = 0x8F;
    private static final int TOPIC_NAME_INVALID = 0x90;
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;

    @TempDir
    static Path root;
    private static EmbeddedParley broker;

    private final ClientIdentity alice = TestClient.newDevice("phone");
    private final UUID bob = UUID.randomUUID();
    private TestClient client;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedParley.start(root, "acl");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void connectAlice() throws MqttException {
        client = TestClient.connect(broker.tcpUri(), alice);
    }

    @AfterEach
    void disconnect() throws MqttException {
        client.close();
    }

    @Test
    void aDeviceSubscribesToItsOwnTopics() throws Exception {
        for (String topic : new String[] {"users/" + alice.userId() + "/messages", "users/" + alice.userId() + "/receipts",
                "users/" + alice.userId() + "/events", "presence/" + alice.userId()}) {
            assertThat(client.subscribe(topic).getReasonCodes()).as(topic).containsExactly(GRANTED_QOS_1);
        }
    }

    @Test
    void anotherUsersMessagesAreNotAuthorized() throws Exception {
        IMqttToken suback = client.subscribe("users/" + bob + "/messages");

        assertRefused(suback, NOT_AUTHORIZED, "users/" + bob + "/messages belongs to another user: subscribe to your"
                + " own users/" + alice.userId() + "/messages, users/" + alice.userId() + "/receipts and users/"
                + alice.userId() + "/events. ");
        assertThat(client.paho().isConnected()).as("a refused subscription keeps the connection").isTrue();
    }

    @Test
    void aWildcardBelowOnesOwnTopicsIsRefused() throws Exception {
        IMqttToken suback = client.subscribe("users/" + alice.userId() + "/#");

        assertRefused(suback, TOPIC_FILTER_INVALID, "Parley topics take no wildcards: subscribe to users/"
                + alice.userId() + "/messages, users/" + alice.userId() + "/receipts and users/" + alice.userId()
                + "/events one by one. ");
    }

    @Test
    void subscribingToEverythingIsRefused() throws Exception {
        IMqttToken suback = client.subscribe("#");

        assertRefused(suback, TOPIC_FILTER_INVALID, "Parley topics take no wildcards: subscribe to users/"
                + alice.userId() + "/messages, users/" + alice.userId() + "/receipts and users/" + alice.userId()
                + "/events one by one. ");
    }

    @Test
    void aSharedSubscriptionIsRefused() throws Exception {
        IMqttToken suback = client.subscribe("$share/x/users/" + alice.userId() + "/messages");

        assertRefused(suback, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared subscriptions are not available to Parley"
                + " clients: subscribe to users/" + alice.userId() + "/messages itself (every device of yours gets"
                + " every message). ");
    }

    @Test
    void brokerSystemTopicsAreNotParleyTopics() throws Exception {
        IMqttToken suback = client.subscribe("$SYS/broker/uptime");

        assertThat(suback.getReasonCodes()).containsExactly(TOPIC_FILTER_INVALID);
        assertThat(suback.getResponseProperties().getReasonString()).startsWith("'$SYS/broker/uptime' is not a Parley topic");
    }

    @Test
    void groupTopicsAndAStrangersPresenceAreNotSubscribable() throws Exception {
        IMqttToken group = client.subscribe("groups/" + UUID.randomUUID() + "/messages");
        IMqttToken presence = client.subscribe("presence/" + bob);

        assertThat(group.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
        assertThat(group.getResponseProperties().getReasonString()).startsWith("group messages arrive on users/" + alice.userId() + "/messages");
        assertThat(presence.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
        assertThat(presence.getResponseProperties().getReasonString()).isEqualTo("presence/" + bob + " is visible to "
                + bob + "'s friends only: send a friend request (POST /v1/me/friend-requests) and subscribe once it is"
                + " accepted. ");
    }

    /** Only the authorization is asserted: what becomes of the message is the message pipeline's. */
    @Test
    void anyUserMayBeMessaged() throws Exception {
        UUID registered = broker.newUser("stranger");
        IMqttToken puback = client.publish("users/" + registered + "/messages",
                "{\"clientMsgId\":\"" + UUID.randomUUID() + "\",\"text\":\"hello\"}", false);

        assertThat(puback.getReasonCodes()[0]).as("PUBACK reason code").isLessThan(0x80);
    }

    @Test
    void aDevicePublishesItsOwnReceiptsAndPresence() throws Exception {
        // Authorized: the receipt pipeline answers (its payload check), not the authorizer, and the client stays.
        assertThat(client.publish("users/" + alice.userId() + "/receipts", "{}", false).getReasonCodes()[0])
                .isEqualTo(0x99);
        assertThat(client.publish("presence/" + alice.userId() + "/phone", "{\"status\":\"online\"}", false)
                .getReasonCodes()[0]).isLessThan(0x80);
        assertThat(client.paho().isConnected()).isTrue();
    }

    @Test
    void receiptsToAnotherUsersTopicAreRefusedAndTheClientDisconnected() throws Exception {
        IMqttToken puback = client.publish("users/" + bob + "/receipts", "{}", false);

        assertRefusedAndDisconnected(puback, NOT_AUTHORIZED, "receipts are published to your own users/"
                + alice.userId() + "/receipts topic, not to users/" + bob + "/receipts");
    }

    @Test
    void aRetainedPublishIsRefused() throws Exception {
        IMqttToken puback = client.publish("presence/" + alice.userId() + "/phone", "{\"status\":\"online\"}", true);

        assertRefusedAndDisconnected(puback, NOT_AUTHORIZED, "Parley does not keep retained messages: publish with"
                + " retain=false (a device that was offline gets what it missed from the server, not from retained"
                + " messages)");
    }

    @Test
    void eventsAreTheExtensionsOnly() throws Exception {
        IMqttToken puback = client.publish("users/" + alice.userId() + "/events", "{}", false);

        assertRefusedAndDisconnected(puback, NOT_AUTHORIZED, "users/" + alice.userId() + "/events is written by"
                + " Parley only: subscribe to users/" + alice.userId() + "/events, do not publish to it");
    }

    @Test
    void anotherDevicesPresenceIsRefused() throws Exception {
        IMqttToken puback = client.publish("presence/" + alice.userId() + "/laptop", "{}", false);

        assertRefusedAndDisconnected(puback, NOT_AUTHORIZED, "a device publishes only its own presence, to presence/"
                + alice.userId() + "/phone, not to presence/" + alice.userId() + "/laptop");
    }

    @Test
    void aTopicThatIsNotParleysIsAnInvalidTopicName() throws Exception {
        IMqttToken puback = client.publish("chat/general", "hi", false);

        assertRefusedAndDisconnected(puback, TOPIC_NAME_INVALID, "'chat/general' is not a Parley topic (ids are"
                + " lower-case UUIDs): send a message to users/{to}/messages, receipts to users/" + alice.userId()
                + "/receipts, this device's presence to presence/" + alice.userId() + "/phone");
    }

    /** MQTT 5 tells the client the limit in the CONNACK; Paho then refuses to send a larger packet itself. */
    @Test
    void theBrokersMaximumPacketSizeIsAnnouncedAndPahoKeepsToIt() {
        assertThat(client.connack().getMaximumPacketSize()).isEqualTo(BrokerConfig.MAX_PACKET_SIZE);

        assertThatThrownBy(() -> client.publish("users/" + bob + "/messages", "x".repeat(BrokerConfig.MAX_PACKET_SIZE), false))
                .isInstanceOf(MqttException.class);
    }

    /** A client that ignores the announced limit is disconnected with PACKET_TOO_LARGE. */
    @Test
    void anOversizedPacketEndsTheConnection() throws Exception {
        ClientIdentity laptop = new ClientIdentity(alice.userId(), "laptop");
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect5(laptop.clientId(), laptop.userId().toString(),
                    TestStack.tokens().issue(laptop, Duration.ofHours(1)), null).reasonCode()).isZero();

            raw.publish5("users/" + bob + "/messages", new byte[BrokerConfig.MAX_PACKET_SIZE + 1]);

            RawMqtt.Reply disconnect = raw.awaitDisconnect();
            assertThat(disconnect.reasonCode()).isEqualTo(PACKET_TOO_LARGE);
            assertThat(disconnect.reasonString()).isNotBlank();
        }
    }

    private static void assertRefused(IMqttToken ack, int reasonCode, String reasonString) {
        assertThat(ack.getReasonCodes()).containsExactly(reasonCode);
        assertThat(ack.getResponseProperties().getReasonString()).isEqualTo(reasonString);
    }

    /** HiveMQ CE answers a refused PUBLISH with the PUBACK, then disconnects the client (0x87). */
    private void assertRefusedAndDisconnected(IMqttToken puback, int reasonCode, String reasonString) throws Exception {
        assertRefused(puback, reasonCode, reasonString);
        MqttDisconnectResponse disconnect = client.disconnected().get(10, TimeUnit.SECONDS);
        assertThat(disconnect.getReturnCode()).as("DISCONNECT after a refused PUBLISH").isEqualTo(NOT_AUTHORIZED);
    }
}
