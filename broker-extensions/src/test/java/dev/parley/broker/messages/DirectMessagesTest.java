package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.RawMqtt;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** The test's own readers of the store (on its own session), to see what a send left behind. */
    private static MessageStore messageStore;
    private static ConversationIndex conversations;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "direct");
        messageStore = new MessageStore(broker.session(), broker.keyspace());
        conversations = new ConversationIndex(broker.session(), broker.keyspace());
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

    /** The parties of one bad-input case: fresh registered users, a user id nobody has, the send's id. */
    record Parties(UUID alice, UUID bob, UUID nobody, String clientMsgId) {
        String bobsMessages() {
            return "users/" + bob + "/messages";
        }

        String ownTopics() {
            return "users/" + alice + "/messages, users/" + alice + "/receipts and users/" + alice + "/events";
        }
    }

    /** What Alice's phone does; the PUBACK or SUBACK it gets. */
    @FunctionalInterface
    interface Attempt {
        Ack on(ChatDevice alicePhone, Parties p) throws Exception;
    }

    /**
     * One of the issue's bad inputs: the attempt, the reason code and reason string it must get (a prefix
     * where a library's wording follows), and whether HiveMQ then closes the connection (an authorizer's
     * refusal of a PUBLISH).
     */
    record BadInput(String what, Attempt attempt, int code, Function<Parties, String> reason, boolean prefix,
                    boolean disconnects) {
        static BadInput answered(String what, Attempt attempt, int code, Function<Parties, String> reason) {
            return new BadInput(what, attempt, code, reason, false, false);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    private static final String EMOJI = "😀"; // one code point, a surrogate pair in UTF-16, four bytes in UTF-8

    static List<BadInput> badSends() {
        String tooLong = "text has 1001 characters; at most 1000 are allowed";
        return List.of(
                BadInput.answered("empty text", (d, p) -> d.send(p.bob(), p.clientMsgId(), "  \n\t "), 0x99,
                        p -> "text is empty: a message has 1 to 1000 characters"),
                BadInput.answered("1001 ASCII characters", (d, p) -> d.send(p.bob(), p.clientMsgId(), "x".repeat(1001)),
                        0x99, p -> tooLong),
                // 2002 UTF-16 units, 4004 bytes: the limit counts code points, neither of those.
                BadInput.answered("1001 emoji", (d, p) -> d.send(p.bob(), p.clientMsgId(), EMOJI.repeat(1001)), 0x99,
                        p -> tooLong),
                BadInput.answered("1001 mixed non-ASCII code points",
                        (d, p) -> d.send(p.bob(), p.clientMsgId(), "é".repeat(400) + "漢".repeat(300) + "𝄞".repeat(301)),
                        0x99, p -> tooLong),
                BadInput.answered("invalid UTF-8", (d, p) -> d.publish(p.bobsMessages(), invalidUtf8(p.clientMsgId())),
                        0x99, p -> "payload is not valid UTF-8"),
                new BadInput("not JSON", (d, p) -> d.publish(p.bobsMessages(), ("clientMsgId=" + p.clientMsgId()
                        + "&text=hello").getBytes(StandardCharsets.UTF_8)), 0x99, p -> "payload is not valid JSON: ", true,
                        false),
                BadInput.answered("missing clientMsgId", (d, p) -> d.publish(p.bobsMessages(),
                        "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8)), 0x99,
                        p -> "clientMsgId is missing: every send carries the device's id for it, the same on every retry"),
                BadInput.answered("unknown recipient", (d, p) -> d.send(p.nobody(), p.clientMsgId(), "hello?"), 0x90,
                        p -> "there is no user " + p.nobody() + ": check the recipient's id"),
                BadInput.answered("to oneself", (d, p) -> d.send(p.alice(), p.clientMsgId(), "me"), 0x90,
                        p -> "you cannot send a message to yourself; publish to users/{recipient}/messages"),
                new BadInput("retained", (d, p) -> d.publishRetained(p.bobsMessages(),
                        ChatDevice.message(p.clientMsgId(), "keep this")), 0x87,
                        p -> "Parley does not keep retained messages: publish with retain=false (a device that was"
                                + " offline gets what it missed from the server, not from retained messages)",
                        false, true));
    }

    private static byte[] invalidUtf8(String clientMsgId) {
        byte[] head = ("{\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] payload = java.util.Arrays.copyOf(head, head.length + 4);
        payload[head.length] = (byte) 0xC3; // a lead byte followed by one that cannot continue it
        payload[head.length + 1] = (byte) 0x28;
        payload[head.length + 2] = '"';
        payload[head.length + 3] = '}';
        return payload;
    }

    /**
     * Each bad send gets its reason code and reason string and changes nothing: no message, dedupe,
     * head or conversation-list row, nothing on Bob's connected phone (the first thing it gets is the
     * marker sent afterwards), and the same clientMsgId then works, as seq 1.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badSends")
    void aBadSendGetsItsReasonAndChangesNothing(BadInput bad) throws Exception {
        Parties p = new Parties(broker.newUser("alice"), broker.newUser("bob"), UUID.randomUUID(),
                "bad-" + UUID.randomUUID());
        try (ChatDevice bobPhone = broker.device(p.bob(), "phone");
             ChatDevice alicePhone = broker.device(p.alice(), "phone")) {

            Ack ack = bad.attempt().on(alicePhone, p);

            assertThat(ack.reasonCode()).as("reason code of " + bad + ": " + ack).isEqualTo(bad.code());
            if (bad.prefix()) {
                assertThat(ack.reasonString()).as(bad.what()).startsWith(bad.reason().apply(p));
            } else {
                assertThat(ack.reasonString()).as(bad.what()).isEqualTo(bad.reason().apply(p));
            }
            if (bad.disconnects()) {
                assertThat(alicePhone.disconnected().get(10, TimeUnit.SECONDS).getReturnCode())
                        .as("HiveMQ's DISCONNECT after a refused PUBLISH").isEqualTo(0x87);
            }
            assertNothingStored(p);

            // The same clientMsgId is still free: the marker is stored as seq 1 and is the first thing Bob gets.
            try (ChatDevice aliceLaptop = broker.device(p.alice(), "laptop")) {
                assertThat(aliceLaptop.send(p.bob(), p.clientMsgId(), "marker").reasonCode()).isZero();
            }
            JsonNode first = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(first.get("clientMsgId").asText()).as("the first envelope on bob's phone").isEqualTo(p.clientMsgId());
            assertThat(first.get("text").asText()).isEqualTo("marker");
            assertThat(first.get("seq").asLong()).isEqualTo(1);
            assertThat(broker.storedSeqs(ConversationId.direct(p.alice(), p.bob()))).containsExactly(1L);
            if (!bad.disconnects()) {
                assertThat(alicePhone.take(Kind.MESSAGES, 1, WAIT).get(0).get("text").asText())
                        .as("the first envelope on alice's phone").isEqualTo("marker");
            }
        }
    }

    static List<BadInput> refusedSubscriptions() {
        return List.of(
                BadInput.answered("users/{bob}/#", (d, p) -> d.subscribeAck("users/" + p.bob() + "/#"), 0x8F,
                        p -> "Parley topics take no wildcards: subscribe to " + p.ownTopics() + " one by one. "),
                BadInput.answered("#", (d, p) -> d.subscribeAck("#"), 0x8F,
                        p -> "Parley topics take no wildcards: subscribe to " + p.ownTopics() + " one by one. "),
                BadInput.answered("$share/x/users/{bob}/messages", (d, p) -> d.subscribeAck("$share/x/" + p.bobsMessages()),
                        0x9E, p -> "shared subscriptions are not available to Parley clients: subscribe to users/"
                                + p.alice() + "/messages itself (every device of yours gets every message). "),
                BadInput.answered("users/{bob}/messages", (d, p) -> d.subscribeAck(p.bobsMessages()), 0x87,
                        p -> p.bobsMessages() + " belongs to another user: subscribe to your own " + p.ownTopics()
                                + ". "));
    }

    /**
     * Each refused subscription gets its reason code and reason string, keeps the connection, and lets
     * nothing of Bob's through: Carol messages Bob (and Bob's phone acknowledges, which sends Carol a
     * receipt), then Bob messages Alice, and that marker is the first and only thing Alice's phone gets.
     * HiveMQ appends ". " to a SUBACK's reason string.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSubscriptions")
    void aRefusedSubscriptionGetsItsReasonAndLetsNothingThrough(BadInput bad) throws Exception {
        Parties p = new Parties(broker.newUser("alice"), broker.newUser("bob"), UUID.randomUUID(), "unused");
        UUID carol = broker.newUser("carol");
        try (ChatDevice alicePhone = broker.device(p.alice(), "phone");
             ChatDevice bobPhone = broker.device(p.bob(), "phone");
             ChatDevice carolPhone = broker.device(carol, "phone")) {

            Ack suback = bad.attempt().on(alicePhone, p);

            assertThat(suback.reasonCode()).as("reason code of " + bad + ": " + suback).isEqualTo(bad.code());
            assertThat(suback.reasonString()).as(bad.what()).isEqualTo(bad.reason().apply(p));
            assertThat(alicePhone.isConnected()).as("a refused subscription keeps the connection").isTrue();

            assertThat(carolPhone.send(p.bob(), "to-bob", "for bob only").reasonCode()).isZero();
            assertThat(bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0).get("text").asText()).isEqualTo("for bob only");
            assertThat(carolPhone.take(Kind.RECEIPTS, 1, WAIT).get(0).get("type").asText()).isEqualTo("delivered");
            assertThat(bobPhone.send(p.alice(), "to-alice", "marker").reasonCode()).isZero();

            JsonNode first = alicePhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(first.get("text").asText()).as("the first envelope on alice's phone").isEqualTo("marker");
            assertThat(alicePhone.pending(Kind.RECEIPTS)).as("bob's and carol's receipts").isEmpty();
            assertThat(alicePhone.pending(Kind.EVENTS)).isEmpty();
        }
    }

    /** Exactly 1000 code points is a valid message, however many UTF-16 units and bytes they take. */
    @Test
    void exactly1000EmojiAreAMessage() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String text = EMOJI.repeat(1000);
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            assertThat(alicePhone.send(bob, "emoji-1000", text).reasonCode()).isZero();

            JsonNode envelope = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(envelope.get("text").asText()).isEqualTo(text);
            assertThat(messageStore.at(ConversationId.direct(alice, bob).value(), 1).toCompletableFuture().join())
                    .hasValueSatisfying(m -> assertThat(m.text()).isEqualTo(text));
        }
    }

    /**
     * Identity comes from the connection: fields of the payload that name a sender, a recipient, a
     * conversation or a place are ignored. Carol, named in all of them, gets nothing (the first thing her
     * phone gets is a later marker) and has no conversation with Bob.
     */
    @Test
    void aPayloadClaimingAnotherIdentityIsSentAsTheConnectionsUser() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        ConversationId carolAndBob = ConversationId.direct(carol, bob);
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice carolPhone = broker.device(carol, "phone")) {
            String forged = "{\"clientMsgId\":\"forged-1\",\"text\":\"it is me, carol\",\"from\":\"" + carol
                    + "\",\"by\":\"" + carol + "\",\"to\":\"" + carol + "\",\"sender\":\"" + carol
                    + "\",\"conversationId\":\"" + carolAndBob.value() + "\",\"seq\":99,\"id\":\"" + UUID.randomUUID()
                    + "\"}";

            assertThat(alicePhone.publish("users/" + bob + "/messages", forged.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();

            JsonNode envelope = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(envelope.get("from").asText()).isEqualTo(alice.toString());
            assertThat(envelope.get("to").asText()).isEqualTo(bob.toString());
            assertThat(envelope.get("conversationId").asText()).isEqualTo(ConversationId.direct(alice, bob).value());
            assertThat(envelope.get("seq").asLong()).isEqualTo(1);
            assertThat(messageStore.at(ConversationId.direct(alice, bob).value(), 1).toCompletableFuture().join())
                    .hasValueSatisfying(m -> {
                        assertThat(m.sender()).isEqualTo(alice);
                        assertThat(m.recipient()).isEqualTo(bob);
                    });
            assertThat(messageStore.findSend(alice, "forged-1").toCompletableFuture().join())
                    .hasValueSatisfying(send -> assertThat(send.seq()).isEqualTo(1));
            assertThat(messageStore.findSend(carol, "forged-1").toCompletableFuture().join()).isEmpty();
            assertThat(broker.storedSeqs(carolAndBob)).isEmpty();
            assertThat(conversations.conversationsOf(carol).toCompletableFuture().join()).isEmpty();

            assertThat(bobPhone.send(carol, "marker", "marker").reasonCode()).isZero();
            assertThat(carolPhone.take(Kind.MESSAGES, 1, WAIT).get(0).get("text").asText())
                    .as("the first envelope on carol's phone").isEqualTo("marker");
        }
    }

    /**
     * Invariant 2 through a real drop: the device's PUBLISH reaches the broker and is stored, the
     * connection ends before the device reads the PUBACK, and the device reconnects with clean start
     * false and resends the PUBLISH with DUP set, as MQTT requires of it. One row is stored, at the
     * original seq; the retry is answered Success and its envelope carries the original's id and seq.
     */
    @Test
    void aQos1ResendWithDupAfterADroppedConnectionIsStoredOnceAtTheOriginalSeq() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        ConversationId conversation = ConversationId.direct(alice, bob);
        dev.parley.protocol.ClientIdentity phone = new dev.parley.protocol.ClientIdentity(alice, "phone");
        String token = dev.parley.broker.testing.TestStack.tokens().issue(phone, Duration.ofHours(1));
        String ownMessages = "users/" + alice + "/messages";
        byte[] send = ChatDevice.message("dup-1", "sent once, acknowledged late");
        int packetId = 42;
        try (ChatDevice bobPhone = broker.device(bob, "phone")) {
            try (RawMqtt first = RawMqtt.open(broker.home().mqttPort())) {
                assertThat(first.connect5Persistent(phone.clientId(), alice.toString(), token, 300).reasonCode()).isZero();
                assertThat(first.subscribe5(1, ownMessages)).isEqualTo(1);
                first.publishQos1("users/" + bob + "/messages", send, packetId, false);
            } // dropped: the PUBACK, if it was written, is never read
            Awaitility.await("the first publish stored").atMost(WAIT)
                    .until(() -> broker.storedSeqs(conversation), seqs -> !seqs.isEmpty());
            JsonNode original = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);

            List<RawMqtt.Publish> envelopes = new ArrayList<>();
            try (RawMqtt again = RawMqtt.open(broker.home().mqttPort())) {
                assertThat(again.connect5Persistent(phone.clientId(), alice.toString(), token, 300).reasonCode()).isZero();
                assertThat(again.sessionPresent()).as("the broker kept the session").isTrue();
                again.publishQos1("users/" + bob + "/messages", send, packetId, true);
                RawMqtt.Puback puback = null;
                // The retry's envelope comes to the retrying device; HiveMQ may also resend the original's.
                while (puback == null || envelopes.isEmpty()) {
                    RawMqtt.Incoming next = again.next();
                    if (next instanceof RawMqtt.Puback p) {
                        puback = p;
                    } else if (next instanceof RawMqtt.Publish p) {
                        envelopes.add(p);
                        again.puback(p.packetId());
                    }
                }
                assertThat(puback.packetId()).isEqualTo(packetId);
                assertThat(puback.reasonCode()).as("the resend's PUBACK: " + puback).isZero();
            }

            assertThat(broker.storedSeqs(conversation)).containsExactly(1L);
            assertThat(messageStore.findSend(alice, "dup-1").toCompletableFuture().join())
                    .hasValueSatisfying(s -> assertThat(s.seq()).isEqualTo(1));
            for (RawMqtt.Publish envelope : envelopes) {
                JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(envelope.payload());
                assertThat(envelope.topic()).isEqualTo(ownMessages);
                assertThat(json).as("an envelope on the retrying device").isEqualTo(original);
            }
            // Bob got it once: the next thing his phone gets is the next message, seq 2.
            try (ChatDevice aliceLaptop = broker.device(alice, "laptop")) {
                assertThat(aliceLaptop.send(bob, "dup-2", "next").reasonCode()).isZero();
            }
            JsonNode next = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(next.get("clientMsgId").asText()).as("bob's next envelope").isEqualTo("dup-2");
            assertThat(next.get("seq").asLong()).isEqualTo(2);
        }
    }

    private static void assertNothingStored(Parties p) {
        String why = "nothing stored for " + p.clientMsgId();
        assertThat(messageStore.findSend(p.alice(), p.clientMsgId()).toCompletableFuture().join()).as(why).isEmpty();
        for (UUID peer : List.of(p.bob(), p.nobody())) {
            ConversationId conversation = ConversationId.direct(p.alice(), peer);
            assertThat(broker.storedSeqs(conversation)).as(why + ": messages of " + conversation).isEmpty();
            assertThat(messageStore.headSeq(conversation.value()).toCompletableFuture().join())
                    .as(why + ": head of " + conversation).isZero();
        }
        for (UUID user : List.of(p.alice(), p.bob(), p.nobody())) {
            assertThat(conversations.conversationsOf(user).toCompletableFuture().join())
                    .as(why + ": conversations of " + user).isEmpty();
        }
    }

    static List<Ack> publishAll(ChatDevice device, UUID to, List<String> payloads) {
        try {
            return device.publishAll("users/" + to + "/messages", payloads);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
