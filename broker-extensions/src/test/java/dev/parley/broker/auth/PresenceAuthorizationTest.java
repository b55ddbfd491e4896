package dev.parley.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.RawMqtt;
import dev.parley.broker.testing.TestClient;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.presence.Unfriendings;
import dev.parley.protocol.tokens.ServiceTokens;
import dev.parley.store.friends.FriendStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see and write presence, with real clients on a real broker: friends subscribe to
 * {@code presence/{friend}} (the store decides, asynchronously), strangers get SUBACK 0x87 with a reason;
 * only presence-bridge, with its service token, reads every device's presence through its shared
 * subscription and publishes the retained aggregate.
 */
@Timeout(120)
class PresenceAuthorizationTest {

    private static final int GRANTED_QOS_1 = 1;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_CREDENTIALS = 0x86;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;

    @TempDir
    static Path root;
    private static EmbeddedParley broker;
    private static FriendStore friends;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedParley.start(root, "presence_acl");
        friends = new FriendStore(broker.session(), broker.keyspace());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aFriendSubscribesToPresenceAndGetsTheRetainedAggregate() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        friends.befriend(alice, bob, Instant.now()).toCompletableFuture().join();
        String aggregate = "{\"userId\":\"" + bob + "\",\"status\":\"online\",\"lastSeen\":null}";
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "acl-1")) {
            assertThat(bridge.publish("presence/" + bob, aggregate, true).getReasonCodes()[0]).isLessThan(0x80);
        }

        try (TestClient alicePhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"))) {
            assertThat(alicePhone.subscribe("presence/" + bob).getReasonCodes()).containsExactly(GRANTED_QOS_1);

            TestClient.Received retained = alicePhone.received().poll(5, TimeUnit.SECONDS);
            assertThat(retained).isNotNull();
            assertThat(retained.topic()).isEqualTo("presence/" + bob);
            assertThat(retained.text()).isEqualTo(aggregate);
            assertThat(retained.message().isRetained()).isTrue();
        }
    }

    @Test
    void aStrangerCannotSubscribeToPresence() throws Exception {
        UUID bob = broker.newUser("bob");
        UUID stranger = broker.newUser("stranger");
        try (TestClient client = TestClient.connect(broker.tcpUri(), new ClientIdentity(stranger, "phone"))) {
            IMqttToken suback = client.subscribe("presence/" + bob);

            assertThat(suback.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
            assertThat(suback.getResponseProperties().getReasonString()).isEqualTo("presence/" + bob
                    + " is visible to " + bob + "'s friends only: send a friend request (POST /v1/me/friend-requests)"
                    + " and subscribe once it is accepted. ");
            assertThat(client.paho().isConnected()).isTrue();
        }
    }

    @Test
    void afterUnfriendingANewSubscriptionIsRefused() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        friends.befriend(alice, bob, Instant.now()).toCompletableFuture().join();
        friends.unfriend(alice, bob).toCompletableFuture().join();
        try (TestClient client = TestClient.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"))) {
            assertThat(client.subscribe("presence/" + bob).getReasonCodes()).containsExactly(NOT_AUTHORIZED);
        }
    }

    /**
     * The friend check runs at SUBSCRIBE; an ended friendship (announced by persistence-service on Redis) removes
     * the subscriptions made before it, of a connected device and of an offline persistent session alike.
     */
    @Test
    void anEndedFriendshipRemovesPresenceSubscriptionsMadeBefore() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        friends.befriend(alice, bob, Instant.now()).toCompletableFuture().join();
        friends.befriend(carol, bob, Instant.now()).toCompletableFuture().join();
        String bobsPresence = "presence/" + bob;
        MqttConnectionOptions persistent = TestClient.options(new ClientIdentity(alice, "laptop"));
        persistent.setCleanStart(false);
        persistent.setSessionExpiryInterval(600L);
        RedisClient redis = RedisClient.create("redis://" + TestDependencies.redis());
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "acl-unfriend");
             TestClient alicePhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"));
             TestClient carolPhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(carol, "phone"));
             StatefulRedisConnection<String, String> persistenceService = redis.connect()) {
            TestClient aliceLaptop = TestClient.connect(broker.tcpUri(), alice + "/laptop", persistent);
            for (TestClient watcher : List.of(alicePhone, aliceLaptop, carolPhone)) {
                assertThat(watcher.subscribe(bobsPresence).getReasonCodes()).containsExactly(GRANTED_QOS_1);
            }
            aliceLaptop.close(); // offline; its session, with the subscription, stays

            friends.unfriend(alice, bob).toCompletableFuture().join();
            persistenceService.sync().publish(Unfriendings.CHANNEL, Unfriendings.message(alice, bob));

            // Carol, still a friend, is the control: each update reaches her; once the removal is done, none reaches Alice.
            AtomicInteger version = new AtomicInteger();
            await("Alice's subscription removed").atMost(Duration.ofSeconds(10)).until(() -> {
                String update = presenceUpdate(bob, version.incrementAndGet());
                bridge.publish(bobsPresence, update, true);
                assertThat(nextText(carolPhone, bobsPresence)).isEqualTo(update);
                return alicePhone.received().poll(200, TimeUnit.MILLISECONDS) == null;
            });
            String later = presenceUpdate(bob, version.incrementAndGet());
            bridge.publish(bobsPresence, later, true);
            assertThat(nextText(carolPhone, bobsPresence)).isEqualTo(later);
            assertThat(texts(alicePhone)).as("Bob's presence after the friendship ended, at the ex-friend's phone")
                    .doesNotContain(later);

            try (TestClient back = TestClient.connect(broker.tcpUri(), alice + "/laptop", persistent)) {
                assertThat(back.sessionPresent()).as("the laptop's session survived").isTrue();
                String afterReturn = presenceUpdate(bob, version.incrementAndGet());
                bridge.publish(bobsPresence, afterReturn, true);
                assertThat(nextText(carolPhone, bobsPresence)).isEqualTo(afterReturn);
                // Updates published while the laptop was still subscribed (before the removal took effect) were
                // queued for it and may arrive now; nothing published after the removal may.
                assertThat(texts(back)).as("Bob's presence published after the friendship ended, at the ex-friend's laptop")
                        .doesNotContain(later, afterReturn);
            }
        } finally {
            redis.shutdown();
        }
    }

    /** What arrives at {@code client} until nothing has for 500 ms. */
    private static List<String> texts(TestClient client) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (TestClient.Received r = client.received().poll(500, TimeUnit.MILLISECONDS); r != null;
             r = client.received().poll(500, TimeUnit.MILLISECONDS)) {
            texts.add(r.text());
        }
        return texts;
    }

    private static String presenceUpdate(UUID user, int version) {
        return "{\"userId\":\"" + user + "\",\"status\":\"online\",\"lastSeen\":null,\"v\":" + version + "}";
    }

    /** The next message on {@code topic} (others are skipped), within 10 s. */
    private static String nextText(TestClient client, String topic) throws InterruptedException {
        for (TestClient.Received received = client.received().poll(10, TimeUnit.SECONDS); received != null;
             received = client.received().poll(10, TimeUnit.SECONDS)) {
            if (received.topic().equals(topic)) {
                return received.text();
            }
        }
        throw new AssertionError("nothing arrived on " + topic + " within 10 s");
    }

    @Test
    void aDeviceCannotPublishPresenceForAnotherUser() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (TestClient bobPhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"))) {
            IMqttToken puback = bobPhone.publish("presence/" + alice + "/phone", "{\"status\":\"online\"}", false);

            assertThat(puback.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
            assertThat(puback.getResponseProperties().getReasonString()).isEqualTo("a device publishes only its own"
                    + " presence, to presence/" + bob + "/phone, not to presence/" + alice + "/phone");
        }
    }

    @Test
    void aPresencePayloadThatIsNotAStatusIsRefusedAndReachesNoOne() throws Exception {
        UUID bob = broker.newUser("bob");
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "acl-6");
             TestClient bobPhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"))) {
            bridge.subscribe("$share/presence-bridge/presence/+/+");
            IMqttToken puback = bobPhone.publish("presence/" + bob + "/phone", "{\"status\":\"away\"}", false);

            assertThat(puback.getReasonCodes()).containsExactly(PAYLOAD_FORMAT_INVALID);
            assertThat(puback.getResponseProperties().getReasonString()).startsWith("a device's presence is"
                    + " {\"status\":\"online\"} or {\"status\":\"offline\"}");
            assertThat(bridge.received().poll(1, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aWillThatIsNotAnOfflineStatusRefusesTheConnect() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            RawMqtt.Reply connack = raw.connect5(phone.clientId(), phone.userId().toString(),
                    TestStack.tokens().issue(phone, Duration.ofHours(1)),
                    new RawMqtt.Will("presence/" + phone.userId() + "/phone", "bye", false));

            assertThat(connack.reasonCode()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(connack.reasonString()).startsWith("the will is this device's offline status: payload is not"
                    + " valid JSON");
        }
    }

    @Test
    void aDeviceCannotWriteAnAggregate() throws Exception {
        UUID bob = broker.newUser("bob");
        try (TestClient bobPhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"))) {
            IMqttToken puback = bobPhone.publish("presence/" + bob, "{\"status\":\"online\"}", false);

            assertThat(puback.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
        }
    }

    @Test
    void theBridgeReadsDevicePresenceThroughItsSharedSubscriptionOnly() throws Exception {
        UUID bob = broker.newUser("bob");
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "acl-2")) {
            assertThat(bridge.subscribe("$share/presence-bridge/presence/+/+").getReasonCodes())
                    .containsExactly(GRANTED_QOS_1);
            assertThat(bridge.subscribe("presence/+/+").getReasonCodes()).containsExactly(NOT_AUTHORIZED);
            assertThat(bridge.subscribe("users/" + bob + "/messages").getReasonCodes()).containsExactly(NOT_AUTHORIZED);

            try (TestClient bobPhone = TestClient.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"))) {
                bobPhone.publish("presence/" + bob + "/phone", "{\"status\":\"online\"}", false);
            }
            TestClient.Received received = bridge.received().poll(5, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.topic()).isEqualTo("presence/" + bob + "/phone");
        }
    }

    @Test
    void theBridgePublishesNothingButAggregates() throws Exception {
        UUID bob = broker.newUser("bob");
        try (TestClient bridge = TestClient.connectService(broker.tcpUri(), "acl-3")) {
            IMqttToken puback = bridge.publish("users/" + bob + "/messages", "{}", false);

            assertThat(puback.getReasonCodes()).containsExactly(NOT_AUTHORIZED);
            assertThat(puback.getResponseProperties().getReasonString())
                    .isEqualTo("presence-bridge publishes to presence/{userId} only, not to 'users/" + bob + "/messages'");
        }
    }

    @Test
    void aDeviceTokenIsNotAServiceTokenNorTheOtherWayRound() {
        ServiceClient service = new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "acl-4");
        ClientIdentity device = TestClient.newDevice("phone");
        String deviceToken = TestStack.tokens().issue(device, Duration.ofHours(1));
        String serviceToken = new ServiceTokens(TestStack.TOKEN_SECRET, Clock.systemUTC())
                .issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofHours(1));

        assertThatThrownBy(() -> TestClient.connect(broker.tcpUri(), service.clientId(),
                TestClient.options(service.userName(), deviceToken.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_CREDENTIALS));
        assertThatThrownBy(() -> TestClient.connect(broker.tcpUri(), device.clientId(),
                TestClient.options(device.userId().toString(), serviceToken.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_CREDENTIALS));
    }

    @Test
    void aServiceTokenSignedWithAnotherSecretIsRefused() {
        ServiceClient service = new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "acl-5");
        String forged = new ServiceTokens("not-the-brokers-secret-0123456789abcdefghij", Clock.systemUTC())
                .issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofHours(1));

        assertThatThrownBy(() -> TestClient.connect(broker.tcpUri(), service.clientId(),
                TestClient.options(service.userName(), forged.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_CREDENTIALS));
    }
}
