package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.broker.testing.AsyncApiContract;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the broker really sends and accepts, checked against docs/asyncapi.yaml. */
@Timeout(120)
class AsyncApiContractTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AsyncApiContract CONTRACT = AsyncApiContract.load();

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "contract");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    /** The document's channels are exactly the topics the broker knows, one kind each. */
    @Test
    void everyChannelIsATopicTheBrokerKnowsAndEveryTopicIsAChannel() {
        Set<Class<?>> documented = new HashSet<>();
        for (String address : CONTRACT.channelAddresses()) {
            String topic = address.replace("{userId}", UUID.randomUUID().toString())
                    .replace("{groupId}", UUID.randomUUID().toString()).replace("{deviceId}", "phone");
            Optional<Topic> parsed = Topic.parse(topic);
            assertThat(parsed).as(address).isPresent();
            assertThat(documented.add(parsed.get().getClass())).as("one channel per kind of topic: " + address).isTrue();
        }
        assertThat(documented).containsExactlyInAnyOrder(Topic.class.getPermittedSubclasses());
    }

    /** The document's limits are the broker's: a text of 1000 code points passes both, 1001 neither. */
    @Test
    void theDocumentedTextLimitIsTheBrokers() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            for (int codePoints : new int[] {1000, 1001}) {
                String send = JSON.createObjectNode().put("clientMsgId", "limit-" + codePoints)
                        .put("text", "\uD83D\uDE00".repeat(codePoints)).toString();
                boolean documented = CONTRACT.violations("Send", JSON.readTree(send)).isEmpty();
                int code = alicePhone.publish("users/" + bob + "/messages", send.getBytes(StandardCharsets.UTF_8))
                        .reasonCode();
                assertThat(documented).as(codePoints + " code points: documented as valid").isEqualTo(codePoints == 1000);
                assertThat(code < 0x80).as(codePoints + " code points: accepted by the broker (0x"
                        + Integer.toHexString(code) + ")").isEqualTo(codePoints == 1000);
            }
        }
    }

    @Test
    void envelopesReceiptsAndSyncResultsMatchTheDocument() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            String send = "{\"clientMsgId\":\"" + UUID.randomUUID() + "\",\"text\":\"contract\"}";
            assertThat(CONTRACT.violations("Send", JSON.readTree(send))).isEmpty();
            assertThat(alicePhone.publish("users/" + bob + "/messages", send.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();

            JsonNode envelope = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(CONTRACT.violations("Envelope", envelope)).isEmpty();
            JsonNode delivered = alicePhone.take(Kind.RECEIPTS, 1, WAIT).get(0);
            assertThat(CONTRACT.violations("Receipt", delivered)).isEmpty();

            String readMark = "{\"conversationId\":\"" + conversation + "\",\"type\":\"read\",\"upToSeq\":1}";
            assertThat(CONTRACT.violations("ReadMark", JSON.readTree(readMark))).isEmpty();
            assertThat(bobPhone.publish("users/" + bob + "/receipts", readMark.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();
            assertThat(CONTRACT.violations("Receipt", alicePhone.take(Kind.RECEIPTS, 1, WAIT).get(0))).isEmpty();

            String sync = "{\"requestId\":\"c1\",\"cursors\":{},\"limit\":10}";
            assertThat(CONTRACT.violations("SyncRequest", JSON.readTree(sync))).isEmpty();
            assertThat(bobPhone.publish("users/" + bob + "/sync", sync.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();
            bobPhone.take(Kind.MESSAGES, 1, WAIT);
            assertThat(CONTRACT.violations("SyncResult", bobPhone.take(Kind.EVENTS, 1, WAIT).get(0))).isEmpty();
        }
    }

    @Test
    void groupEnvelopesSystemMessagesAndGroupEventsMatchTheDocument() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (GroupAdmin admin = new GroupAdmin(broker.session(), broker.keyspace());
             ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            UUID group = admin.create("Contract", List.of(alice, bob));
            JsonNode created = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(CONTRACT.violations("Envelope", created)).isEmpty();
            assertThat(CONTRACT.violations("GroupChanged", bobPhone.take(Kind.EVENTS, 1, WAIT).get(0))).isEmpty();

            assertThat(alicePhone.sendToGroup(group, "contract-1", "to the group").reasonCode()).isZero();
            assertThat(CONTRACT.violations("Envelope", bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0))).isEmpty();
            // Bob's phone acknowledged both envelopes: Alice gets the coalesced delivered watermarks.
            assertThat(CONTRACT.violations("GroupReceipts", alicePhone.take(Kind.RECEIPTS, 1, WAIT).get(0))).isEmpty();
        }
    }

    @Test
    void typingUpdatesAndIndicatorsMatchTheDocument() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (GroupAdmin admin = new GroupAdmin(broker.session(), broker.keyspace());
             ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            assertThat(bobPhone.subscribe("users/" + bob + "/typing")).isLessThan(0x80);
            String update = "{\"state\":\"typing\"}";
            assertThat(CONTRACT.violations("TypingUpdate", JSON.readTree(update))).isEmpty();
            assertThat(alicePhone.publish("users/" + bob + "/typing", update.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();
            assertThat(CONTRACT.violations("TypingIndicator", bobPhone.take(Kind.TYPING, 1, WAIT).get(0))).isEmpty();

            UUID group = admin.create("Typing contract", List.of(alice, bob));
            assertThat(alicePhone.publish("groups/" + group + "/typing", update.getBytes(StandardCharsets.UTF_8))
                    .reasonCode()).isZero();
            JsonNode inGroup = bobPhone.take(Kind.TYPING, 1, WAIT).get(0);
            assertThat(inGroup.has("groupId")).isTrue();
            assertThat(CONTRACT.violations("TypingIndicator", inGroup)).isEmpty();
        }
    }

    @Test
    void theDocumentRejectsWhatTheBrokerRejects() throws Exception {
        assertThat(CONTRACT.violations("TypingUpdate", JSON.readTree("{\"state\":\"recording\"}"))).isNotEmpty();
        assertThat(CONTRACT.violations("Send", JSON.readTree("{\"text\":\"no id\"}"))).isNotEmpty();
        assertThat(CONTRACT.violations("ReadMark",
                JSON.readTree("{\"conversationId\":\"g:x\",\"type\":\"delivered\",\"upToSeq\":0}"))).isNotEmpty();
    }
}
