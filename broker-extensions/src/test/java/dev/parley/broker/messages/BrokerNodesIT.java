package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.BrokerProcess;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TcpProxy;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.ConversationId;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker nodes in their own JVMs, running the packaged extension: two nodes sharing Cassandra and
 * Redis keep one gapless order; a node killed with SIGKILL loses nothing it acknowledged; a store that
 * goes away gives error acknowledgements, and sends work again when it returns.
 */
@Timeout(300)
class BrokerNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private static String keyspace;
    private static CqlSession session;
    private static UserStore users;

    @BeforeAll
    static void schema() {
        keyspace = TestStack.migratedKeyspace("nodes");
        session = TestStack.session(keyspace);
        users = new UserStore(session, keyspace);
    }

    @AfterAll
    static void dropSchema() {
        TestStack.dropKeyspace(session, keyspace);
        session.close();
    }

    private static UUID newUser(String handle) {
        UUID id = UUID.randomUUID();
        users.insert(new UserRecord(id, handle + "-" + id, handle, null, null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS))).toCompletableFuture().join();
        return id;
    }

    private static List<String> messages(String prefix, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add("{\"clientMsgId\":\"" + prefix + i + "\",\"text\":\"" + prefix + " " + i + "\"}");
        }
        return payloads;
    }

    /**
     * Catches up from nothing, page by page, and returns the message ids in sequence order. Live
     * deliveries may still arrive while this runs, so envelopes are keyed by their sequence number
     * and only those up to the cursor the sync answered count.
     */
    private static List<String> catchUp(ChatDevice device, String conversation, int expected) throws Exception {
        TreeMap<Long, String> idsBySeq = new TreeMap<>();
        long cursor = 0;
        boolean complete = false;
        for (int page = 0; !complete && page < 20; page++) {
            Ack ack = device.publish("users/" + device.user() + "/sync",
                    ("{\"cursors\":{\"" + conversation + "\":" + cursor + "},\"limit\":500}").getBytes(StandardCharsets.UTF_8));
            assertThat(ack.reasonCode()).isZero();
            JsonNode done = device.take(Kind.EVENTS, 1, WAIT).get(0);
            cursor = done.get("cursors").get(conversation).asLong();
            long pageEnd = cursor;
            device.drain(Kind.MESSAGES).stream()
                    .filter(m -> m.get("seq").asLong() <= pageEnd)
                    .forEach(m -> {
                        String previous = idsBySeq.putIfAbsent(m.get("seq").asLong(), m.get("id").asText());
                        assertThat(previous).as("seq %s delivered with two ids", m.get("seq"))
                                .isIn(null, m.get("id").asText());
                    });
            complete = done.get("complete").asBoolean();
        }
        assertThat(idsBySeq.keySet()).containsExactlyElementsOf(
                LongStream.rangeClosed(1, expected).boxed().toList());
        return new ArrayList<>(idsBySeq.values());
    }

    @Test
    void twoNodesSendingIntoOneConversationKeepOneGaplessOrder() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        try (BrokerProcess nodeA = BrokerProcess.start(root.resolve("a"), keyspace, Map.of("node.id", "node-a"));
             BrokerProcess nodeB = BrokerProcess.start(root.resolve("b"), keyspace, Map.of("node.id", "node-b"));
             ChatDevice alicePhone = nodeA.device(alice, "phone");
             ChatDevice bobPhone = nodeB.device(bob, "phone")) {

            CompletableFuture<List<Ack>> fromAlice = CompletableFuture.supplyAsync(() ->
                    DirectMessagesTest.publishAll(alicePhone, bob, messages("a", 500)));
            CompletableFuture<List<Ack>> fromBob = CompletableFuture.supplyAsync(() ->
                    DirectMessagesTest.publishAll(bobPhone, alice, messages("b", 500)));
            assertThat(fromAlice.get(180, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.reasonCode()).isZero());
            assertThat(fromBob.get(180, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.reasonCode()).isZero());

            List<Long> seqs = new ArrayList<>();
            session.execute("SELECT seq FROM " + keyspace + ".messages WHERE conversation_id = ? AND bucket = 0",
                    conversation).forEach(r -> seqs.add(r.getLong("seq")));
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, 1000).boxed().toList());
            // Each send stored once, and each sender's sends in the order that sender made them.
            List<String> clientMsgIds = new ArrayList<>();
            session.execute("SELECT client_msg_id FROM " + keyspace + ".messages WHERE conversation_id = ? AND bucket = 0",
                    conversation).forEach(r -> clientMsgIds.add(r.getString("client_msg_id")));
            assertThat(clientMsgIds).doesNotHaveDuplicates().hasSize(1000);
            assertThat(clientMsgIds.stream().filter(id -> id.startsWith("a")).toList())
                    .isEqualTo(IntStream.range(0, 500).mapToObj(i -> "a" + i).toList());
            assertThat(clientMsgIds.stream().filter(id -> id.startsWith("b")).toList())
                    .isEqualTo(IntStream.range(0, 500).mapToObj(i -> "b" + i).toList());

            // What each device got live (its own node's and the other node's messages) came in the one order.
            for (ChatDevice device : List.of(alicePhone, bobPhone)) {
                List<Long> live = device.drain(Kind.MESSAGES).stream().map(m -> m.get("seq").asLong()).distinct().toList();
                assertThat(live).as("%s's live envelopes, by arrival", device.user()).isNotEmpty().isSorted();
            }
            assertThat(catchUp(alicePhone, conversation, 1000)).isEqualTo(catchUp(bobPhone, conversation, 1000));
        }
    }

    @Test
    void aNodeKilledRightAfterItsAcknowledgementsLosesNothing() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        BrokerProcess node = BrokerProcess.start(root.resolve("a"), keyspace, Map.of("node.id", "node-kill"));
        try {
            List<Ack> acks;
            try (ChatDevice alicePhone = node.device(alice, "phone")) {
                acks = alicePhone.publishAll("users/" + bob + "/messages", messages("k", 300));
                node.kill();
            }
            assertThat(acks).allSatisfy(a -> assertThat(a.reasonCode()).isZero());
            long stored = session.execute("SELECT count(*) FROM " + keyspace + ".messages WHERE conversation_id = ? "
                    + "AND bucket = 0", conversation).one().getLong(0);
            assertThat(stored).isEqualTo(300);

            node.restart();
            try (ChatDevice bobPhone = node.device(bob, "phone")) {
                List<String> received = catchUp(bobPhone, conversation, 300);
                assertThat(received).doesNotHaveDuplicates();
            }
        } finally {
            node.close();
        }
    }

    @Test
    void withoutTheStoreSendsGetAnErrorAndNothingIsDeliveredAndThenWorkAgain() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        String conversation = ConversationId.direct(alice, bob).value();
        Endpoint cassandra = TestDependencies.cassandra();
        try (TcpProxy proxy = TcpProxy.to(cassandra.host(), cassandra.port());
             BrokerProcess node = BrokerProcess.start(root.resolve("a"), keyspace, Map.of(
                     "node.id", "node-proxy",
                     "cassandra.contact-points", proxy.endpoint().toString(),
                     "cassandra.request-timeout-ms", "2000",
                     "messages.ack-timeout-ms", "4000"));
             ChatDevice alicePhone = node.device(alice, "phone");
             ChatDevice bobPhone = node.device(bob, "phone")) {
            assertThat(alicePhone.send(bob, "before", "store is up").reasonCode()).isZero();
            bobPhone.take(Kind.MESSAGES, 1, WAIT);

            proxy.cut();
            long started = System.nanoTime();
            Ack refused = alicePhone.send(bob, "during", "store is gone");
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(refused.reasonCode()).isGreaterThanOrEqualTo(0x80);
            assertThat(refused.reasonString()).contains("retry");
            assertThat(tookMs).as("bounded by messages.ack-timeout-ms").isLessThan(6_000);
            assertThat(bobPhone.pending(Kind.MESSAGES)).isEmpty();

            proxy.restore();
            await("sends work again without restarting the broker").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> alicePhone.send(bob, "after", "store is back").reasonCode() == 0);
            JsonNode delivered = bobPhone.take(Kind.MESSAGES, 1, WAIT).get(0);
            assertThat(delivered.get("clientMsgId").asText()).isIn("during", "after");
            List<Long> seqs = new ArrayList<>();
            session.execute("SELECT seq FROM " + keyspace + ".messages WHERE conversation_id = ? AND bucket = 0",
                    conversation).forEach(r -> seqs.add(r.getLong("seq")));
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        }
    }

    @Test
    void receiptsReachTheDevicesOfSenderAndReaderOnEveryNode() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        UUID carol = newUser("carol");
        String conversation = ConversationId.direct(alice, bob).value();
        try (GroupAdmin admin = new GroupAdmin(session, keyspace);
             BrokerProcess nodeA = BrokerProcess.start(root.resolve("a"), keyspace, Map.of("node.id", "receipts-a"));
             BrokerProcess nodeB = BrokerProcess.start(root.resolve("b"), keyspace, Map.of("node.id", "receipts-b"));
             ChatDevice alicePhone = nodeA.device(alice, "phone");
             ChatDevice aliceLaptop = nodeB.device(alice, "laptop");
             ChatDevice bobPhone = nodeA.device(bob, "phone");
             ChatDevice bobTablet = nodeB.device(bob, "tablet");
             ChatDevice carolPhone = nodeB.device(carol, "phone")) {
            // 1:1: Bob's phone acknowledges on node A; Alice's laptop on node B gets "delivered" all the same.
            assertThat(alicePhone.send(bob, "x-1", "which node are you on?").reasonCode()).isZero();
            for (ChatDevice aliceDevice : List.of(alicePhone, aliceLaptop)) {
                await("delivered at " + aliceDevice.identity().clientId()).atMost(WAIT).until(() ->
                        aliceDevice.pending(Kind.RECEIPTS).stream().anyMatch(r -> r.get("type").asText().equals("delivered")
                                && r.get("upToSeq").asLong() == 1 && r.get("by").asText().equals(bob.toString())));
            }
            // Read on Bob's phone (node A): Alice's laptop and Bob's own tablet (node B) are told.
            assertThat(bobPhone.publish("users/" + bob + "/receipts", ("{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":1}").getBytes(StandardCharsets.UTF_8)).reasonCode()).isZero();
            for (ChatDevice device : List.of(aliceLaptop, bobTablet)) {
                await("read at " + device.identity().clientId()).atMost(WAIT).until(() -> device.pending(Kind.RECEIPTS)
                        .stream().anyMatch(r -> r.get("type").asText().equals("read") && r.get("upToSeq").asLong() == 1));
            }

            // A group: Carol acknowledges on node B; her mark reaches every member's devices on node A (one
            // announcement carries the digest for all members' topics).
            UUID group = admin.create("Receipts across nodes", List.of(alice, bob, carol));
            assertThat(alicePhone.sendToGroup(group, "x-2", "group hello").reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, bobPhone)) {
                await("the group's delivered digest at " + device.identity().clientId()).atMost(WAIT).until(() ->
                        device.pending(Kind.RECEIPTS).stream().anyMatch(r -> r.path("conversationId").asText()
                                .equals(ConversationId.group(group).value())
                                && r.path("marks").toString().contains(carol.toString())));
            }
        }
    }

    @Test
    void groupMembersOnEveryNodeGetEachMessageAndALeaveHoldsOnAllOfThem() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        UUID carol = newUser("carol");
        try (GroupAdmin admin = new GroupAdmin(session, keyspace);
             BrokerProcess nodeA = BrokerProcess.start(root.resolve("a"), keyspace, Map.of("node.id", "group-a"));
             BrokerProcess nodeB = BrokerProcess.start(root.resolve("b"), keyspace, Map.of("node.id", "group-b"));
             ChatDevice alicePhone = nodeA.device(alice, "phone");
             ChatDevice bobPhone = nodeB.device(bob, "phone");
             ChatDevice bobLaptop = nodeA.device(bob, "laptop");
             ChatDevice carolPhone = nodeB.device(carol, "phone")) {
            UUID group = admin.create("Across nodes", List.of(alice, bob, carol));
            String conversation = ConversationId.group(group).value();

            assertThat(alicePhone.sendToGroup(group, "n-1", "hello both nodes").reasonCode()).isZero();
            for (ChatDevice device : List.of(alicePhone, bobPhone, bobLaptop, carolPhone)) {
                await("the message at " + device.identity().clientId()).atMost(WAIT).until(() -> device.pending(Kind.MESSAGES)
                        .stream().anyMatch(e -> e.get("clientMsgId").asText().equals("n-1")));
            }

            // Sent from node B, where the group may not be ordered: forwarded, and back to node A's devices.
            assertThat(carolPhone.sendToGroup(group, "n-2", "from node b").reasonCode()).isZero();
            await("carol's message at alice").atMost(WAIT).until(() -> alicePhone.pending(Kind.MESSAGES)
                    .stream().anyMatch(e -> e.get("clientMsgId").asText().equals("n-2")));

            assertThat(admin.leave(group, bob).result()).isEqualTo(dev.parley.store.groups.GroupStore.Result.CHANGED);
            assertThat(alicePhone.sendToGroup(group, "n-3", "bob has left").reasonCode()).isZero();
            await("the message after the leave at carol").atMost(WAIT).until(() -> carolPhone.pending(Kind.MESSAGES)
                    .stream().anyMatch(e -> e.get("clientMsgId").asText().equals("n-3")));
            await("bob's devices told he left").atMost(WAIT).until(() -> Stream.of(bobPhone, bobLaptop)
                    .allMatch(d -> d.pending(Kind.EVENTS).stream().anyMatch(e -> e.has("change")
                            && e.get("change").get("kind").asText().equals("left"))));
            for (ChatDevice bobDevice : List.of(bobPhone, bobLaptop)) {
                assertThat(bobDevice.pending(Kind.MESSAGES)).noneMatch(e -> e.get("clientMsgId").asText().equals("n-3"));
            }
            assertThat(bobPhone.sendToGroup(group, "n-4", "still here?").reasonCode()).isEqualTo(0x87);
            assertThat(bobLaptop.sendToGroup(group, "n-5", "still here?").reasonCode()).isEqualTo(0x87);
            assertThat(session.execute("SELECT client_msg_id FROM " + keyspace + ".messages WHERE conversation_id = ?"
                    + " AND bucket = 0", conversation).all()).extracting(r -> r.getString("client_msg_id"))
                    .contains("n-1", "n-2", "n-3").doesNotContain("n-4", "n-5");
        }
    }
}
