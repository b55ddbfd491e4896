package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Offline devices catch up exactly from the store; receipts reach the sender's devices. */
@Timeout(240)
class CatchUpAndReceiptsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "catchup");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static void sendMany(ChatDevice from, UUID to, int count, String prefix) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add("{\"clientMsgId\":\"" + prefix + i + "\",\"text\":\"message " + i + "\"}");
        }
        assertThat(from.publishAll("users/" + to + "/messages", payloads))
                .allSatisfy(ack -> assertThat(ack.reasonCode()).isZero());
    }

    private static Ack sync(ChatDevice device, String cursorsJson, int limit) throws Exception {
        return device.publish("users/" + device.user() + "/sync",
                ("{\"requestId\":\"r1\",\"cursors\":" + cursorsJson + ",\"limit\":" + limit + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeviceOfflineFor2000MessagesCatchesUpExactlyInOrder() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            sendMany(alicePhone, bob, 2_000, "c-");
        }
        // Bob's phone was never connected: more than HiveMQ would queue for it. The store has it all.
        try (ChatDevice bobPhone = broker.device(bob, "phone")) {
            List<Long> seqs = new ArrayList<>();
            long cursor = 0;
            int pages = 0;
            boolean complete = false;
            while (!complete) {
                assertThat(pages++).as("pages").isLessThan(10);
                assertThat(sync(bobPhone, "{\"" + conversation + "\":" + cursor + "}", 500).reasonCode()).isZero();
                // The event closes the page: its envelopes were queued before it, on the same connection.
                JsonNode done = bobPhone.take(Kind.EVENTS, 1, WAIT).get(0);
                List<JsonNode> page = bobPhone.drain(Kind.MESSAGES);
                assertThat(page).hasSize(done.get("sent").asInt());
                page.forEach(m -> seqs.add(m.get("seq").asLong()));
                assertThat(done.get("type").asText()).isEqualTo("sync");
                cursor = done.get("cursors").get(conversation).asLong();
                assertThat(cursor).isEqualTo(seqs.size());
                complete = done.get("complete").asBoolean();
            }
            assertThat(pages).isEqualTo(5);
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, 2_000).boxed().toList());
            assertThat(bobPhone.pending(Kind.MESSAGES)).isEmpty();
        }
    }

    @Test
    void aDeviceThatHoldsEverythingGetsNothingButTheSyncEvent() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            sendMany(alicePhone, bob, 3, "h-");
            alicePhone.take(Kind.MESSAGES, 3, WAIT);
            assertThat(sync(alicePhone, "{\"" + conversation + "\":3}", 100).reasonCode()).isZero();
            JsonNode done = alicePhone.take(Kind.EVENTS, 1, WAIT).get(0);
            assertThat(done.get("sent").asInt()).isZero();
            assertThat(done.get("complete").asBoolean()).isTrue();
            assertThat(alicePhone.pending(Kind.MESSAGES)).isEmpty();
        }
    }

    @Test
    void deliveredAndReadReceiptsReachEveryDeviceOfTheSender() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice aliceLaptop = broker.device(alice, "laptop");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobTablet = broker.device(bob, "tablet")) {
            assertThat(alicePhone.send(bob, "r-1", "did you get this?").reasonCode()).isZero();
            bobPhone.take(Kind.MESSAGES, 1, WAIT);

            for (ChatDevice aliceDevice : List.of(alicePhone, aliceLaptop)) {
                JsonNode delivered = aliceDevice.take(Kind.RECEIPTS, 1, WAIT).get(0);
                assertThat(delivered.get("type").asText()).isEqualTo("delivered");
                assertThat(delivered.get("upToSeq").asLong()).isEqualTo(1);
                assertThat(delivered.get("by").asText()).isEqualTo(bob.toString());
                assertThat(delivered.get("conversationId").asText()).isEqualTo(conversation);
            }

            Ack read = bobPhone.publish("users/" + bob + "/receipts", ("{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":1}").getBytes(StandardCharsets.UTF_8));
            assertThat(read.reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobTablet)) {
                JsonNode receipt = device.take(Kind.RECEIPTS, 1, WAIT).get(0);
                assertThat(receipt.get("type").asText()).as(device.identity().clientId()).isEqualTo("read");
                assertThat(receipt.get("upToSeq").asLong()).isEqualTo(1);
                assertThat(receipt.get("by").asText()).isEqualTo(bob.toString());
            }
        }
    }

    @Test
    void aCatchUpBurstOfAcknowledgementsEndsAtTheHighestDeliveredWatermark() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            sendMany(alicePhone, bob, 300, "b-");
            alicePhone.take(Kind.MESSAGES, 300, WAIT);
            // Bob's phone acknowledges 300 envelopes as fast as they come: writes are coalesced, but the
            // sender hears of every step in order and ends at 300, and 300 is what is stored.
            try (ChatDevice bobPhone = broker.device(bob, "phone")) {
                assertThat(sync(bobPhone, "{\"" + conversation + "\":0}", 500).reasonCode()).isZero();
                assertThat(bobPhone.take(Kind.EVENTS, 1, WAIT).get(0).get("sent").asInt()).isEqualTo(300);
                List<Long> heard = new ArrayList<>();
                org.awaitility.Awaitility.await("delivered up to 300 at alice's phone").atMost(WAIT).until(() -> {
                    alicePhone.drain(Kind.RECEIPTS).stream()
                            .filter(r -> r.get("type").asText().equals("delivered"))
                            .forEach(r -> heard.add(r.get("upToSeq").asLong()));
                    return !heard.isEmpty() && heard.get(heard.size() - 1) == 300;
                });
                assertThat(heard).isSorted().hasSizeLessThanOrEqualTo(300);
                assertThat(broker.session().execute("SELECT up_to_seq FROM " + broker.keyspace()
                        + ".delivered_watermarks WHERE conversation_id = ? AND user_id = ?", conversation, bob)
                        .one().getLong("up_to_seq")).isEqualTo(300);
            }
        }
    }

    @Test
    void aReadReceiptForAMessageThatDoesNotExistIsRefused() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            assertThat(alicePhone.send(bob, "x-1", "one").reasonCode()).isZero();
            Ack ack = bobPhone.publish("users/" + bob + "/receipts", ("{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":5}").getBytes(StandardCharsets.UTF_8));
            assertThat(ack.reasonCode()).isEqualTo(0x99);
            assertThat(ack.reasonString()).contains("there is no message 5").contains("its last is 1");
        }
    }
}
