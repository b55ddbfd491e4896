package dev.parley.broker.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.ConversationId;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing indicators through a real HiveMQ with the Parley extension, real Paho clients, real Cassandra and
 * Redis: the broker's own indicator (sender from the connection) reaches exactly the other participants'
 * devices, is rate-limited, refuses bad input with a reason, is never stored, and crosses nodes through Redis.
 */
@Timeout(180)
class TypingIndicatorsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int TOPIC_NAME_INVALID = 0x90;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;
    private static final byte[] TYPING = "{\"state\":\"typing\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAUSED = "{\"state\":\"paused\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;
    private static GroupAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "typing");
        admin = new GroupAdmin(broker.session(), broker.keyspace());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    /** A device of the user, subscribed to its own typing topic as well. */
    private static ChatDevice typingDevice(UUID user, String deviceId) throws Exception {
        ChatDevice device = broker.device(user, deviceId);
        assertThat(device.subscribe("users/" + user + "/typing")).as("granted QoS").isLessThan(0x80);
        return device;
    }

    private static String typingTo(UUID user) {
        return "users/" + user + "/typing";
    }

    private static String groupTyping(UUID group) {
        return "groups/" + group + "/typing";
    }

    @Test
    void oneToOneTypingReachesEveryDeviceOfTheRecipientAndNotTheSendersOtherDevices() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID mallory = broker.newUser("mallory");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice aliceLaptop = typingDevice(alice, "laptop");
             ChatDevice bobPhone = typingDevice(bob, "phone");
             ChatDevice bobLaptop = typingDevice(bob, "laptop")) {
            // A payload that names someone else changes nothing: the sender is the connection's user.
            Ack ack = alicePhone.publish(typingTo(bob),
                    ("{\"state\":\"typing\",\"from\":\"" + mallory + "\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(ack.reasonCode()).isZero();
            for (ChatDevice device : List.of(bobPhone, bobLaptop)) {
                JsonNode indicator = device.take(Kind.TYPING, 1, WAIT).get(0);
                assertThat(indicator.get("from").asText()).isEqualTo(alice.toString());
                assertThat(indicator.get("conversationId").asText()).isEqualTo(conversation);
                assertThat(indicator.get("state").asText()).isEqualTo("typing");
                assertThat(indicator.has("groupId")).isFalse();
                assertThat(Instant.parse(indicator.get("at").asText())).isBefore(Instant.now().plusSeconds(1));
            }
            // Bob answers: what reaches Alice's devices after Alice's own indicator went out is Bob's only.
            assertThat(bobLaptop.publish(typingTo(alice), TYPING).reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop)) {
                JsonNode first = device.take(Kind.TYPING, 1, WAIT).get(0);
                assertThat(first.get("from").asText()).isEqualTo(bob.toString());
                assertThat(device.pending(Kind.TYPING)).isEmpty();
            }
            // Ephemeral: no message, no seq.
            assertThat(broker.storedSeqs(ConversationId.direct(alice, bob))).isEmpty();
        }
    }

    @Test
    void typingToOneselfOrToNobodyIsRefusedWithAReason() throws Exception {
        UUID alice = broker.newUser("alice");
        try (ChatDevice alicePhone = typingDevice(alice, "phone")) {
            Ack self = alicePhone.publish(typingTo(alice), TYPING);
            assertThat(self.reasonCode()).isEqualTo(TOPIC_NAME_INVALID);
            assertThat(self.reasonString()).contains("yourself");

            UUID nobody = UUID.randomUUID();
            Ack unknown = alicePhone.publish(typingTo(nobody), TYPING);
            assertThat(unknown.reasonCode()).isEqualTo(TOPIC_NAME_INVALID);
            assertThat(unknown.reasonString()).contains("there is no user " + nobody);
            assertThat(alicePhone.isConnected()).isTrue();
        }
    }

    @Test
    void groupTypingReachesEveryOtherMemberAndNoNonMember() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        UUID stranger = broker.newUser("stranger");
        UUID group = admin.create("Climbing", List.of(alice, bob, carol));
        try (ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice aliceLaptop = typingDevice(alice, "laptop");
             ChatDevice bobPhone = typingDevice(bob, "phone");
             ChatDevice carolWeb = typingDevice(carol, "web");
             ChatDevice strangerPhone = typingDevice(stranger, "phone")) {
            Ack ack = alicePhone.publish(groupTyping(group), TYPING);

            assertThat(ack.reasonCode()).isZero();
            for (ChatDevice device : List.of(bobPhone, carolWeb)) {
                JsonNode indicator = device.take(Kind.TYPING, 1, WAIT).get(0);
                assertThat(indicator.get("from").asText()).isEqualTo(alice.toString());
                assertThat(indicator.get("groupId").asText()).isEqualTo(group.toString());
                assertThat(indicator.get("conversationId").asText()).isEqualTo(ConversationId.group(group).value());
                assertThat(indicator.get("state").asText()).isEqualTo("typing");
            }
            // Then Bob types in the group: Alice's laptop and the stranger's phone, if anything, get only that.
            assertThat(bobPhone.publish(groupTyping(group), TYPING).reasonCode()).isZero();
            JsonNode toAliceLaptop = aliceLaptop.take(Kind.TYPING, 1, WAIT).get(0);
            assertThat(toAliceLaptop.get("from").asText()).isEqualTo(bob.toString());
            carolWeb.take(Kind.TYPING, 1, WAIT);
            assertThat(strangerPhone.pending(Kind.TYPING)).isEmpty();
            // Ephemeral: the group's history holds its creation only.
            await().atMost(WAIT).until(() -> !broker.storedSeqs(ConversationId.group(group)).isEmpty());
            assertThat(broker.storedSeqs(ConversationId.group(group))).containsExactly(1L);
        }
    }

    @Test
    void aNonMemberIsRefusedAndAnUnknownGroupIsNamed() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID stranger = broker.newUser("stranger");
        UUID group = admin.create("Private", List.of(alice));
        try (ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice strangerPhone = typingDevice(stranger, "phone")) {
            Ack refused = strangerPhone.publish(groupTyping(group), TYPING);
            assertThat(refused.reasonCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(refused.reasonString()).contains("not a member of group " + group);

            // QoS 0: dropped, and the connection stays.
            strangerPhone.publishAtMostOnce(groupTyping(group), TYPING);
            UUID unknownGroup = UUID.randomUUID();
            Ack unknown = strangerPhone.publish(groupTyping(unknownGroup), TYPING);
            assertThat(unknown.reasonCode()).isEqualTo(TOPIC_NAME_INVALID);
            assertThat(unknown.reasonString()).contains("there is no group " + unknownGroup);
            assertThat(strangerPhone.isConnected()).isTrue();

            // Nothing of the stranger's reached the member: her first indicator is the one she gets next.
            assertThat(strangerPhone.publish(typingTo(alice), PAUSED).reasonCode()).isZero();
            JsonNode first = alicePhone.take(Kind.TYPING, 1, WAIT).get(0);
            assertThat(first.get("conversationId").asText()).isEqualTo(ConversationId.direct(alice, stranger).value());
            assertThat(alicePhone.pending(Kind.TYPING)).isEmpty();
        }
    }

    @Test
    void subscribingToAnotherUsersOrAGroupsTypingIsRefused() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID group = admin.create("Subs", List.of(alice, bob));
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            assertThat(alicePhone.subscribeAck(typingTo(bob)).reasonCode()).isEqualTo(NOT_AUTHORIZED);
            Ack groupRefusal = alicePhone.subscribeAck(groupTyping(group));
            assertThat(groupRefusal.reasonCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(groupRefusal.reasonString()).contains("arrive on users/" + alice + "/typing");
            assertThat(alicePhone.subscribeAck(typingTo(alice)).reasonCode()).as("granted QoS").isLessThan(0x80);
        }
    }

    @Test
    void badPayloadsAreRefusedWithAReasonAndReachNobody() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice bobPhone = typingDevice(bob, "phone")) {
            List<byte[]> bad = List.of("typing".getBytes(StandardCharsets.UTF_8),
                    "{\"state\":\"recording\"}".getBytes(StandardCharsets.UTF_8),
                    ("{\"state\":\"typing\",\"pad\":\"" + "x".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xC3, (byte) 0x28});
            for (byte[] payload : bad) {
                Ack ack = alicePhone.publish(typingTo(bob), payload);
                assertThat(ack.reasonCode()).as(new String(payload, StandardCharsets.UTF_8)).isEqualTo(PAYLOAD_FORMAT_INVALID);
                assertThat(ack.reasonString()).contains("{\"state\":\"typing\"}");
            }
            assertThat(alicePhone.publish(typingTo(bob), PAUSED).reasonCode()).isZero();
            JsonNode first = bobPhone.take(Kind.TYPING, 1, WAIT).get(0);
            assertThat(first.get("state").asText()).isEqualTo("paused");
            assertThat(bobPhone.pending(Kind.TYPING)).isEmpty();
        }
    }

    /**
     * The rule: per (device, conversation) at most one indicator per second is forwarded, plus a "paused"
     * right after a forwarded "typing". So a burst lasting d seconds forwards at most 2 × (⌊d⌋ + 1), and the
     * last state forwarded is the last one published when that is "paused".
     */
    @Test
    void aBurstIsRateLimitedAndTheFinalPausedAlwaysArrives() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice bobPhone = typingDevice(bob, "phone")) {
            List<String> burst = new ArrayList<>(Collections.nCopies(19, "{\"state\":\"typing\"}"));
            burst.add("{\"state\":\"paused\"}");
            long started = System.nanoTime();
            List<Ack> acks = alicePhone.publishAll(typingTo(bob), burst);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long seconds = took.toSeconds();

            long forwarded = acks.stream().filter(a -> a.reasonCode() == 0).count();
            List<Ack> limited = acks.stream().filter(a -> a.reasonCode() != 0).toList();
            assertThat(forwarded).isBetween(2L, 2 * (seconds + 1));
            System.out.printf("burst of 20 typing updates in %d ms: %d forwarded, %d refused with 0x97%n",
                    took.toMillis(), forwarded, 20 - forwarded);
            assertThat(limited).hasSize(20 - (int) forwarded).allSatisfy(a -> {
                assertThat(a.reasonCode()).isEqualTo(QUOTA_EXCEEDED);
                assertThat(a.reasonString()).startsWith("message rate too high");
            });
            assertThat(acks.get(19).reasonCode()).isZero();

            List<JsonNode> got = bobPhone.take(Kind.TYPING, (int) forwarded, WAIT);
            assertThat(got.get(0).get("state").asText()).isEqualTo("typing");
            assertThat(got.get(got.size() - 1).get("state").asText()).isEqualTo("paused");
            // The next second, typing passes again.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> alicePhone.publish(typingTo(bob), TYPING).reasonCode() == 0);
        }
    }

    /**
     * Other nodes: what this node forwards is announced on Redis, and what another node announces reaches
     * this node's devices (a stale announcement, e.g. held back while Redis was away, does not).
     */
    @Test
    void indicatorsCrossNodesThroughRedisAndStaleOnesAreDropped() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        RedisClient redisClient = RedisClient.create("redis://" + TestDependencies.redis());
        try (StatefulRedisPubSubConnection<String, String> listening = redisClient.connectPubSub();
             StatefulRedisConnection<String, String> redis = redisClient.connect();
             ChatDevice alicePhone = typingDevice(alice, "phone");
             ChatDevice bobPhone = typingDevice(bob, "phone")) {
            List<String> announced = new CopyOnWriteArrayList<>();
            listening.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    if (message.contains(alice.toString())) {
                        announced.add(message);
                    }
                }
            });
            listening.sync().subscribe(TypingRelay.CHANNEL);

            assertThat(alicePhone.publish(typingTo(bob), TYPING).reasonCode()).isZero();
            await("the announcement to other nodes").atMost(WAIT).until(() -> !announced.isEmpty());
            assertThat(announced.get(0)).contains("\"users\":[\"" + bob + "\"]").contains("\"state\":\"typing\"");
            bobPhone.take(Kind.TYPING, 1, WAIT);

            String conversation = ConversationId.direct(alice, bob).value();
            String stale = "other-node\n{\"users\":[\"" + alice + "\"],\"indicator\":{\"conversationId\":\""
                    + conversation + "\",\"from\":\"" + bob + "\",\"state\":\"typing\",\"at\":\""
                    + Instant.now().minusSeconds(60) + "\"}}";
            String fresh = "other-node\n{\"users\":[\"" + alice + "\"],\"indicator\":{\"conversationId\":\""
                    + conversation + "\",\"from\":\"" + bob + "\",\"state\":\"paused\",\"at\":\"" + Instant.now() + "\"}}";
            redis.sync().publish(TypingRelay.CHANNEL, stale);
            redis.sync().publish(TypingRelay.CHANNEL, fresh);

            JsonNode got = alicePhone.take(Kind.TYPING, 1, WAIT).get(0);
            assertThat(got.get("state").asText()).as("the stale one was dropped").isEqualTo("paused");
            assertThat(got.get("from").asText()).isEqualTo(bob.toString());
        } finally {
            redisClient.shutdown();
        }
    }
}
