package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.Watermarks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
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
    /** The test's own reader of the receipt watermarks (on its own session). */
    private static Watermarks watermarks;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "catchup");
        watermarks = new Watermarks(broker.session(), broker.keyspace());
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

    /**
     * A read of a seq that does not exist is refused, records nothing and tells no one: the next receipt
     * Alice's devices and Bob's other device get is the marker, Bob's real read of 1.
     */
    @Test
    void aReadReceiptForAMessageThatDoesNotExistIsRefused() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobTablet = broker.device(bob, "tablet")) {
            assertThat(alicePhone.send(bob, "x-1", "one").reasonCode()).isZero();
            awaitDelivered(alicePhone, 1);

            Ack ack = read(bobPhone, conversation, 5);

            assertThat(ack.reasonCode()).isEqualTo(0x99);
            assertThat(ack.reasonString()).isEqualTo("there is no message 5 in " + conversation + " (its last is 1)");
            assertThat(watermarks(Watermarks.Kind.READ, conversation)).as("read watermarks").isEmpty();

            assertThat(read(bobPhone, conversation, 1).reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, bobTablet)) {
                JsonNode receipt = device.take(Kind.RECEIPTS, 1, WAIT).get(0);
                assertThat(receipt.get("type").asText()).as(device.identity().clientId()).isEqualTo("read");
                assertThat(receipt.get("upToSeq").asLong()).as("the first read receipt at " + device.identity().clientId())
                        .isEqualTo(1);
            }
            assertThat(watermarks(Watermarks.Kind.READ, conversation)).isEqualTo(Map.of(bob, 1L));
        }
    }

    /**
     * Read receipts only move forward on the wire too: after "read up to 7", a read of 3 (a device that
     * was behind) and another of 7 are answered Success and reach no one, and the watermark stays 7.
     * Alice's devices hear 7, then the marker 8, and nothing between.
     */
    @Test
    void aReadAtOrBelowTheWatermarkIsAnsweredAndReachesNoOne() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice aliceLaptop = broker.device(alice, "laptop");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobTablet = broker.device(bob, "tablet")) {
            sendMany(alicePhone, bob, 7, "f-"); // acknowledged: stored, so readable at once

            assertThat(read(bobPhone, conversation, 7).reasonCode()).isZero();
            Ack backwards = read(bobTablet, conversation, 3);
            Ack again = read(bobPhone, conversation, 7);

            assertThat(backwards.reasonCode()).as("a read of 3 after 7: " + backwards).isZero();
            assertThat(again.reasonCode()).as("a read of 7 again: " + again).isZero();
            assertThat(watermarks(Watermarks.Kind.READ, conversation)).isEqualTo(Map.of(bob, 7L));

            sendMany(alicePhone, bob, 1, "g-");
            assertThat(read(bobPhone, conversation, 8).reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobPhone, bobTablet)) {
                assertThat(readsUntil(device, 8)).as("read receipts at " + device.identity().clientId())
                        .containsExactly(7L, 8L);
            }
        }
    }

    /**
     * Alice, who has a conversation with the real Bob, publishes a read receipt on Bob's receipts topic
     * in Bob's name: refused with its reason (and HiveMQ closes her connection), no watermark moves, and
     * no device of either hears of it: the next receipt each gets is Bob's own read, the marker.
     */
    @Test
    void aReadReceiptPublishedAsAnotherUserIsRefusedAndChangesNoWatermark() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice aliceLaptop = broker.device(alice, "laptop");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice bobTablet = broker.device(bob, "tablet")) {
            sendMany(alicePhone, bob, 2, "s-");
            awaitDelivered(alicePhone, 2);
            assertThat(read(bobPhone, conversation, 1).reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobPhone, bobTablet)) {
                assertThat(readsUntil(device, 1)).containsExactly(1L);
                device.drain(Kind.RECEIPTS);
            }
            Map<UUID, Long> read = watermarks(Watermarks.Kind.READ, conversation);
            Map<UUID, Long> delivered = watermarks(Watermarks.Kind.DELIVERED, conversation);

            Ack forged = alicePhone.publish("users/" + bob + "/receipts", ("{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":2,\"by\":\"" + bob + "\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(forged.reasonCode()).isEqualTo(0x87);
            assertThat(forged.reasonString()).isEqualTo("receipts are published to your own users/" + alice
                    + "/receipts topic, not to users/" + bob + "/receipts");
            assertThat(alicePhone.disconnected().get(10, TimeUnit.SECONDS).getReturnCode()).isEqualTo(0x87);
            assertThat(watermarks(Watermarks.Kind.READ, conversation)).as("read watermarks").isEqualTo(read)
                    .isEqualTo(Map.of(bob, 1L));
            assertThat(watermarks(Watermarks.Kind.DELIVERED, conversation)).as("delivered watermarks").isEqualTo(delivered);

            assertThat(read(bobPhone, conversation, 2).reasonCode()).isZero();
            for (ChatDevice device : List.of(aliceLaptop, bobPhone, bobTablet)) {
                JsonNode first = device.take(Kind.RECEIPTS, 1, WAIT).get(0);
                assertThat(first.get("type").asText()).as("first receipt at " + device.identity().clientId()).isEqualTo("read");
                assertThat(first.get("upToSeq").asLong()).isEqualTo(2);
                assertThat(first.get("by").asText()).isEqualTo(bob.toString());
            }
        }
    }

    /**
     * A read receipt's sender is the connection's user: Alice's own receipt naming Bob in "by" is Alice's
     * read, and Bob's watermark does not move.
     */
    @Test
    void aReadReceiptNamingAnotherReaderIsTheConnectionsUsersOwn() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone")) {
            assertThat(bobPhone.send(alice, "n-1", "read me").reasonCode()).isZero();
            awaitDelivered(bobPhone, 1);

            Ack ack = alicePhone.publish("users/" + alice + "/receipts", ("{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":1,\"by\":\"" + bob + "\",\"from\":\"" + bob + "\"}")
                    .getBytes(StandardCharsets.UTF_8));

            assertThat(ack.reasonCode()).isZero();
            JsonNode receipt = bobPhone.take(Kind.RECEIPTS, 1, WAIT).get(0);
            assertThat(receipt.get("type").asText()).isEqualTo("read");
            assertThat(receipt.get("by").asText()).isEqualTo(alice.toString());
            assertThat(watermarks(Watermarks.Kind.READ, conversation)).isEqualTo(Map.of(alice, 1L));
        }
    }

    /**
     * Offline beyond the broker's queue with a persistent session: Bob's phone keeps its session (clean
     * start false, session expiry), is away while Alice sends 2,000, and comes back to the same node.
     * HiveMQ has queued what its 1,000-message limit allowed; the phone then asks for what follows the
     * last seq it holds without a gap. The union is exactly 1..2000, and the sync delivers every seq the
     * queue dropped. (A device keeps one copy per seq: the two paths may overlap only above a gap in the
     * queue, and the client dedupes by seq.)
     */
    @Test
    void aPersistentSessionsQueueAndASyncTogetherGiveEveryMessage() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        Duration expiry = Duration.ofMinutes(10);
        broker.persistentDevice(bob, "phone", expiry).close();
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            sendMany(alicePhone, bob, 2_000, "q-");
        }

        try (ChatDevice bobPhone = broker.persistentDevice(bob, "phone", expiry)) {
            // A sync that asks for nothing new: its event is queued behind whatever the session held, so
            // when it arrives the queue has been delivered.
            assertThat(sync(bobPhone, "{\"" + conversation + "\":2000}", 1).reasonCode()).isZero();
            assertThat(bobPhone.take(Kind.EVENTS, 1, WAIT).get(0).get("sent").asInt()).isZero();
            List<Long> queued = bobPhone.drain(Kind.MESSAGES).stream().map(m -> m.get("seq").asLong()).toList();
            java.util.TreeSet<Long> held = new java.util.TreeSet<>(queued);
            long cursor = 0;
            while (held.contains(cursor + 1)) {
                cursor++;
            }

            List<Long> synced = new ArrayList<>();
            boolean complete = false;
            for (int pages = 0; !complete; pages++) {
                assertThat(pages).as("pages").isLessThan(10);
                assertThat(sync(bobPhone, "{\"" + conversation + "\":" + cursor + "}", 500).reasonCode()).isZero();
                JsonNode done = bobPhone.take(Kind.EVENTS, 1, WAIT).get(0);
                bobPhone.drain(Kind.MESSAGES).forEach(m -> synced.add(m.get("seq").asLong()));
                cursor = done.get("cursors").get(conversation).asLong();
                complete = done.get("complete").asBoolean();
            }

            String paths = queued.size() + " from the broker's queue (" + (queued.isEmpty() ? "none" : queued.get(0)
                    + ".." + queued.get(queued.size() - 1)) + "), " + synced.size() + " from sync ("
                    + (synced.isEmpty() ? "none" : synced.get(0) + ".." + synced.get(synced.size() - 1)) + ")";
            java.util.TreeSet<Long> union = new java.util.TreeSet<>(queued);
            union.addAll(synced);
            assertThat(union).as("the union of " + paths).containsExactlyElementsOf(LongStream.rangeClosed(1, 2_000).boxed().toList());
            assertThat(queued).as("the queue's, " + paths).doesNotHaveDuplicates().isSorted().isNotEmpty()
                    .hasSizeLessThan(2_000);
            assertThat(synced).as("the sync's, " + paths).doesNotHaveDuplicates().isSorted()
                    .containsAll(LongStream.rangeClosed(1, 2_000).boxed().filter(seq -> !held.contains(seq)).toList());
            assertThat(queued.size() + synced.size()).as("each seq once: " + paths).isEqualTo(2_000);
        }
    }

    private static Ack read(ChatDevice device, String conversation, long upToSeq) throws Exception {
        return device.publish("users/" + device.user() + "/receipts", ("{\"conversationId\":\"" + conversation
                + "\",\"type\":\"read\",\"upToSeq\":" + upToSeq + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the sender's device hears "delivered up to {@code seq}" (coalesced receipts before it are dropped). */
    private static void awaitDelivered(ChatDevice sender, long seq) {
        Awaitility.await("delivered up to " + seq + " at " + sender.identity().clientId()).atMost(WAIT)
                .until(() -> sender.drain(Kind.RECEIPTS).stream().anyMatch(r -> r.get("type").asText().equals("delivered")
                        && r.get("upToSeq").asLong() == seq));
    }

    /** The read receipts a device hears, in order, up to and including "read up to {@code last}". */
    private static List<Long> readsUntil(ChatDevice device, long last) {
        List<Long> heard = new ArrayList<>();
        Awaitility.await("read up to " + last + " at " + device.identity().clientId()).atMost(WAIT).until(() -> {
            device.drain(Kind.RECEIPTS).stream().filter(r -> r.get("type").asText().equals("read"))
                    .forEach(r -> heard.add(r.get("upToSeq").asLong()));
            return heard.contains(last);
        });
        return heard;
    }

    private static Map<UUID, Long> watermarks(Watermarks.Kind kind, String conversation) {
        return watermarks.of(kind, conversation).toCompletableFuture().join();
    }
}
