package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.protocol.ConversationId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1:1 messages through a real HiveMQ with the Parley extension, real Paho clients, real Cassandra:
 * stored before the PUBACK, one order, every device, retries stored once, catch-up exact.
 */
@Timeout(180)
class DirectMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "direct");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void aMessageReachesEveryDeviceOfBothUsersWithOneIdAndSeq() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice aliceLaptop = broker.device(alice, "laptop");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobWeb = broker.webDevice(bob, "web")) {

            Ack ack = alicePhone.send(bob, "m-1", "  Hello Bob 👋 ");

            assertThat(ack.reasonCode()).isZero();
            List<JsonNode> received = new ArrayList<>();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobPhone, bobWeb)) {
                received.add(device.take(Kind.MESSAGES, 1, WAIT).get(0));
            }
            JsonNode first = received.get(0);
            assertThat(first.get("text").asText()).isEqualTo("Hello Bob 👋");
            assertThat(first.get("seq").asLong()).isEqualTo(1);
            assertThat(first.get("from").asText()).isEqualTo(alice.toString());
            assertThat(first.get("to").asText()).isEqualTo(bob.toString());
            assertThat(first.get("conversationId").asText()).isEqualTo(ConversationId.direct(alice, bob).value());
            assertThat(first.get("clientMsgId").asText()).isEqualTo("m-1");
            assertThat(received).allSatisfy(envelope -> assertThat(envelope).isEqualTo(first));
        }
    }

    @Test
    void thePubackComesOnlyOnceTheMessageIsInCassandra() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        CqlSession separate = broker.session(); // the test's own session, not the broker's
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            for (int i = 1; i <= 20; i++) {
                assertThat(alicePhone.send(bob, "p-" + i, "durable " + i).reasonCode()).isZero();
                // Read right after the PUBACK, through another session: the row must be there already.
                assertThat(separate.execute("SELECT text FROM " + broker.keyspace()
                        + ".messages WHERE conversation_id = ? AND bucket = 0 AND seq = ?", conversation, (long) i)
                        .one()).as("row of seq " + i).isNotNull();
            }
        }
    }

    @Test
    void aRetryOfTheSameClientMsgIdIsStoredOnceAndAnsweredWithTheOriginal() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            assertThat(alicePhone.send(bob, "same-id", "only once").reasonCode()).isZero();
            JsonNode original = alicePhone.take(Kind.MESSAGES, 1, WAIT).get(0);

            assertThat(alicePhone.send(bob, "same-id", "only once").reasonCode()).isZero();

            JsonNode answer = alicePhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(answer).isEqualTo(original);
            assertThat(broker.storedSeqs(ConversationId.direct(alice, bob))).containsExactly(1L);
            assertThat(bobPhone.take(Kind.MESSAGES, 1, WAIT)).hasSize(1);
            assertThat(alicePhone.send(bob, "next-id", "second").reasonCode()).isZero();
            assertThat(bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0).get("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void twoDevicesSendingAtOnceGetGaplessSeqsInOneOrderOnEveryDevice() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        int perSender = 200;
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobLaptop = broker.device(bob, "laptop")) {
            List<String> fromAlice = new ArrayList<>();
            List<String> fromBob = new ArrayList<>();
            for (int i = 0; i < perSender; i++) {
                fromAlice.add("{\"clientMsgId\":\"a-" + i + "\",\"text\":\"from alice " + i + "\"}");
                fromBob.add("{\"clientMsgId\":\"b-" + i + "\",\"text\":\"from bob " + i + "\"}");
            }
            CompletableFuture<List<Ack>> aliceAcks = CompletableFuture.supplyAsync(() -> publishAll(alicePhone, bob, fromAlice));
            CompletableFuture<List<Ack>> bobAcks = CompletableFuture.supplyAsync(() -> publishAll(bobPhone, alice, fromBob));
            assertThat(aliceAcks.get(90, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.reasonCode()).isZero());
            assertThat(bobAcks.get(90, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.reasonCode()).isZero());

            List<Long> expected = LongStream.rangeClosed(1, 2L * perSender).boxed().toList();
            assertThat(broker.storedSeqs(ConversationId.direct(alice, bob))).isEqualTo(expected);
            List<JsonNode> onAlice = alicePhone.take(Kind.MESSAGES, 2 * perSender, WAIT);
            List<JsonNode> onLaptop = bobLaptop.take(Kind.MESSAGES, 2 * perSender, WAIT);
            assertThat(onAlice).extracting(m -> m.get("seq").asLong()).isEqualTo(expected);
            assertThat(onLaptop).isEqualTo(onAlice);
        }
    }

    @Test
    void badInputGetsItsReasonCodeAndChangesNothing() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String bobTopic = "users/" + bob + "/messages";
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            assertRefused(alicePhone.send(bob, "e-1", "   "), 0x99, "text is empty");
            assertRefused(alicePhone.send(bob, "e-2", "x".repeat(1001)), 0x99, "1001 characters");
            assertRefused(alicePhone.publish(bobTopic, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                    0x99, "not valid UTF-8");
            assertRefused(alicePhone.publish(bobTopic, "hello".getBytes(StandardCharsets.UTF_8)), 0x99,
                    "not valid JSON");
            assertRefused(alicePhone.publish(bobTopic, "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8)),
                    0x99, "clientMsgId is missing");
            UUID nobody = UUID.randomUUID();
            assertRefused(alicePhone.send(nobody, "e-3", "hello?"), 0x90, "there is no user " + nobody);
            assertRefused(alicePhone.send(alice, "e-4", "me"), 0x90, "yourself");

            assertThat(broker.storedSeqs(ConversationId.direct(alice, bob))).isEmpty();
            assertThat(broker.storedSeqs(ConversationId.direct(alice, nobody))).isEmpty();
            assertThat(alicePhone.pending(Kind.MESSAGES)).isEmpty();
        }
    }

    static List<Ack> publishAll(ChatDevice device, UUID to, List<String> payloads) {
        try {
            return device.publishAll("users/" + to + "/messages", payloads);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(Ack ack, int code, String reasonContains) {
        assertThat(ack.reasonCode()).as("reason code of " + ack).isEqualTo(code);
        assertThat(ack.reasonString()).contains(reasonContains);
    }
}
