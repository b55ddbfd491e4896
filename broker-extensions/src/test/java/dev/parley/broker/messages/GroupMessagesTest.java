package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.protocol.ConversationId;
import dev.parley.store.groups.GroupStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group messages through a real HiveMQ with the Parley extension, real Paho clients, real Cassandra and
 * Redis: members only, one order for every device of every member, membership changes exact at once,
 * system messages in the history, catch-up from the join on.
 */
@Timeout(300)
class GroupMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int NOT_AUTHORIZED = 0x87;

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;
    private static GroupAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "groups");
        admin = new GroupAdmin(broker.session(), broker.keyspace());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    /** Messages of one group as they arrived, user messages only (system messages carry an event). */
    private static List<JsonNode> chat(List<JsonNode> envelopes) {
        return envelopes.stream().filter(e -> !e.has("event")).toList();
    }

    /** Waits until the device has received {@code count} user messages of the group, and returns all it got. */
    private static List<JsonNode> awaitChat(ChatDevice device, UUID group, int count) {
        List<JsonNode> got = new ArrayList<>();
        await("messages of group " + group + " at " + device.identity().clientId()).atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    got.addAll(device.drain(Kind.MESSAGES).stream()
                            .filter(e -> e.get("conversationId").asText().equals(ConversationId.group(group).value()))
                            .toList());
                    return chat(got).size() >= count;
                });
        return got;
    }

    @Test
    void aGroupMessageReachesEveryDeviceOfEveryMemberWithOneIdAndSeqAndNobodyElse() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        UUID stranger = broker.newUser("stranger");
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice aliceLaptop = broker.device(alice, "laptop");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice carolWeb = broker.webDevice(carol, "web");
             ChatDevice strangerPhone = broker.device(stranger, "phone")) {
            UUID group = admin.create("Climbing", List.of(alice, bob, carol));

            // The creation is the history's first entry, a system message every member's devices get.
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobPhone, carolWeb)) {
                JsonNode created = device.take(Kind.MESSAGES, 1, WAIT).get(0);
                assertThat(created.get("seq").asLong()).isEqualTo(1);
                assertThat(created.get("event").get("kind").asText()).isEqualTo("created");
                assertThat(created.get("event").get("name").asText()).isEqualTo("Climbing");
                JsonNode event = device.take(Kind.EVENTS, 1, WAIT).get(0);
                assertThat(event.get("type").asText()).isEqualTo("group.changed");
                assertThat(event.get("seq").asLong()).isEqualTo(1);
            }

            Ack ack = alicePhone.sendToGroup(group, "g-1", "Saturday, 10:00?");

            assertThat(ack.reasonCode()).isZero();
            List<JsonNode> received = new ArrayList<>();
            for (ChatDevice device : List.of(alicePhone, aliceLaptop, bobPhone, carolWeb)) {
                received.add(device.take(Kind.MESSAGES, 1, WAIT).get(0));
            }
            JsonNode first = received.get(0);
            assertThat(first.get("seq").asLong()).isEqualTo(2);
            assertThat(first.get("groupId").asText()).isEqualTo(group.toString());
            assertThat(first.get("conversationId").asText()).isEqualTo(ConversationId.group(group).value());
            assertThat(first.get("from").asText()).isEqualTo(alice.toString());
            assertThat(first.has("to")).isFalse();
            assertThat(received).allSatisfy(envelope -> assertThat(envelope).isEqualTo(first));
            assertThat(broker.storedSeqs(ConversationId.group(group))).containsExactly(1L, 2L);
            assertThat(strangerPhone.pending(Kind.MESSAGES)).isEmpty();
        }
    }

    @Test
    void aNonMemberCanNeitherPublishNorSubscribeAndNothingIsStored() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID stranger = broker.newUser("stranger");
        UUID group = admin.create("Private", List.of(alice));
        try (ChatDevice strangerPhone = broker.device(stranger, "phone")) {
            Ack ack = strangerPhone.sendToGroup(group, "x-1", "let me in");

            assertThat(ack.reasonCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(ack.reasonString()).contains("not a member of group " + group);
            assertThat(strangerPhone.subscribe("groups/" + group + "/messages")).isEqualTo(NOT_AUTHORIZED);
            await().atMost(WAIT).until(() -> broker.storedSeqs(ConversationId.group(group)).size() == 1);
            assertThat(broker.storedSeqs(ConversationId.group(group))).containsExactly(1L);

            Ack unknown = strangerPhone.sendToGroup(UUID.randomUUID(), "x-2", "anyone?");
            assertThat(unknown.reasonCode()).isEqualTo(0x90);
            assertThat(unknown.reasonString()).contains("there is no group");
        }
    }

    @Test
    void afterALeaveReturnsTheLeaverGetsNothingMoreAndCannotSend() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        UUID group = admin.create("Book club", List.of(alice, bob, carol));
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice bobPhone = broker.device(bob, "phone");
             ChatDevice carolPhone = broker.device(carol, "phone")) {
            AtomicBoolean streaming = new AtomicBoolean(true);
            CompletableFuture<Integer> stream = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                try {
                    while (streaming.get() && sent < 2_000) {
                        alicePhone.publishAll("groups/" + group + "/messages",
                                List.of(new String(ChatDevice.message("s-" + sent, "stream " + sent), StandardCharsets.UTF_8)));
                        sent++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return sent;
            });
            awaitChat(bobPhone, group, 20);

            assertThat(admin.leave(group, bob).result()).isEqualTo(GroupStore.Result.CHANGED);
            // The first message sent after the leave returned: its seq is the boundary.
            Ack marker = alicePhone.sendToGroup(group, "after-leave", "bob has gone");
            assertThat(marker.reasonCode()).isZero();
            streaming.set(false);
            int streamed = stream.get(60, TimeUnit.SECONDS);
            List<JsonNode> carolGot = awaitChat(carolPhone, group, streamed + 1);
            long boundary = carolGot.stream().filter(e -> e.get("clientMsgId").asText().equals("after-leave"))
                    .findFirst().orElseThrow().get("seq").asLong();

            // Bob's own departure reaches him as an event, not as a group message.
            await("bob told he left").atMost(WAIT).until(() -> bobPhone.pending(Kind.EVENTS).stream()
                    .anyMatch(e -> e.get("change").get("kind").asText().equals("left")));
            List<JsonNode> bobGot = bobPhone.drain(Kind.MESSAGES);
            assertThat(bobGot).allSatisfy(e -> assertThat(e.get("seq").asLong()).isLessThan(boundary));
            assertThat(bobGot).noneMatch(e -> e.get("clientMsgId").asText().equals("after-leave"));

            Ack refused = bobPhone.sendToGroup(group, "b-1", "wait, come back");
            assertThat(refused.reasonCode()).isEqualTo(NOT_AUTHORIZED);
        }
    }

    @Test
    void aMemberWhoJoinsMidStreamGetsEverythingFromTheJoinOnLiveAndByCatchUp() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID dave = broker.newUser("dave");
        UUID group = admin.create("Runners", List.of(alice));
        long joinedAfter;
        try (ChatDevice alicePhone = broker.device(alice, "phone");
             ChatDevice davePhone = broker.device(dave, "phone")) {
            for (int i = 0; i < 10; i++) {
                assertThat(alicePhone.sendToGroup(group, "before-" + i, "before " + i).reasonCode()).isZero();
            }
            GroupStore.Outcome joined = admin.join(group, dave);
            assertThat(joined.result()).isEqualTo(GroupStore.Result.CHANGED);
            joinedAfter = joined.roster().orElseThrow().member(dave).orElseThrow().joinedAfterSeq();
            assertThat(joinedAfter).isEqualTo(11); // the creation and ten messages

            for (int i = 0; i < 10; i++) {
                assertThat(alicePhone.sendToGroup(group, "after-" + i, "after " + i).reasonCode()).isZero();
            }
            List<JsonNode> live = chat(awaitChat(davePhone, group, 10));
            assertThat(live).extracting(e -> e.get("clientMsgId").asText())
                    .containsExactlyElementsOf(LongStream.range(0, 10).mapToObj(i -> "after-" + i).toList());
        }
        // Catch-up from nothing, on a device that was not there for any of it (so no live envelope, nor
        // an MQTT redelivery of one, can mix in), gives exactly the history since the join, the join's
        // system message included, in seq order.
        List<Long> stored = broker.storedSeqs(ConversationId.group(group));
        long last = stored.get(stored.size() - 1);
        try (ChatDevice daveTablet = broker.device(dave, "tablet")) {
            assertThat(daveTablet.publish("users/" + dave + "/sync", "{\"cursors\":{},\"limit\":500}"
                    .getBytes(StandardCharsets.UTF_8)).reasonCode()).isZero();
            JsonNode done = await("sync result at dave's tablet").atMost(WAIT).until(
                    () -> daveTablet.pending(Kind.EVENTS).stream().filter(e -> e.get("type").asText().equals("sync"))
                            .findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(done.get("cursors").get(ConversationId.group(group).value()).asLong()).isEqualTo(last);
            assertThat(done.get("sent").asLong()).isEqualTo(last - joinedAfter);
            List<Long> caughtUp = daveTablet.drain(Kind.MESSAGES).stream()
                    .filter(e -> e.get("conversationId").asText().equals(ConversationId.group(group).value()))
                    .map(e -> e.get("seq").asLong()).toList();
            assertThat(caughtUp).containsExactlyElementsOf(LongStream.rangeClosed(joinedAfter + 1, last).boxed().toList());
        }
    }

    @Test
    void anOfflineMemberCatchesUpOnTheGroupExactly() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID carol = broker.newUser("carol");
        UUID group = admin.create("Family", List.of(alice, carol));
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                payloads.add(new String(ChatDevice.message("f-" + i, "family " + i), StandardCharsets.UTF_8));
            }
            assertThat(alicePhone.publishAll("groups/" + group + "/messages", payloads))
                    .allSatisfy(a -> assertThat(a.reasonCode()).isZero());
        }
        List<Long> stored = broker.storedSeqs(ConversationId.group(group));
        assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(1, 121).boxed().toList());

        try (ChatDevice carolTablet = broker.device(carol, "tablet")) {
            List<Long> seqs = new ArrayList<>();
            long cursor = 0;
            for (int page = 0; page < 5 && seqs.size() < stored.size(); page++) {
                assertThat(carolTablet.publish("users/" + carol + "/sync", ("{\"cursors\":{\""
                        + ConversationId.group(group).value() + "\":" + cursor + "},\"limit\":50}")
                        .getBytes(StandardCharsets.UTF_8)).reasonCode()).isZero();
                JsonNode done = carolTablet.take(Kind.EVENTS, 1, WAIT).get(0);
                carolTablet.drain(Kind.MESSAGES).stream().map(e -> e.get("seq").asLong())
                        .filter(seq -> seq > seqs.size()).forEach(seqs::add);
                cursor = done.get("cursors").get(ConversationId.group(group).value()).asLong();
            }
            assertThat(seqs).isEqualTo(stored);
        }
    }

    @Test
    void readAndDeliveredWatermarksReachMembersCoalescedIntoDigests() throws Exception {
        UUID alice = broker.newUser("alice");
        List<UUID> readers = List.of(broker.newUser("bob"), broker.newUser("carol"), broker.newUser("dave"));
        List<UUID> everyone = new ArrayList<>(List.of(alice));
        everyone.addAll(readers);
        UUID group = admin.create("Readers", everyone);
        String conversation = ConversationId.group(group).value();
        List<ChatDevice> readerPhones = new ArrayList<>();
        try (ChatDevice alicePhone = broker.device(alice, "phone")) {
            for (UUID reader : readers) {
                readerPhones.add(broker.device(reader, "phone"));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(alicePhone.sendToGroup(group, "r-" + i, "read me " + i).reasonCode()).isZero();
            }
            long last = 11;
            for (ChatDevice phone : readerPhones) {
                awaitChat(phone, group, 10);
            }
            // Thirty read marks from three members, one after another.
            for (long upTo = 2; upTo <= last; upTo++) {
                for (ChatDevice phone : readerPhones) {
                    assertThat(phone.publish("users/" + phone.user() + "/receipts", ("{\"conversationId\":\""
                            + conversation + "\",\"type\":\"read\",\"upToSeq\":" + upTo + "}")
                            .getBytes(StandardCharsets.UTF_8)).reasonCode()).isZero();
                }
            }

            java.util.Map<String, Long> readMarks = new java.util.HashMap<>();
            java.util.Map<String, Long> deliveredMarks = new java.util.HashMap<>();
            List<JsonNode> readDigests = new ArrayList<>();
            await("every reader's watermarks at the sender").atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (JsonNode digest : alicePhone.drain(Kind.RECEIPTS)) {
                    assertThat(digest.get("conversationId").asText()).isEqualTo(conversation);
                    java.util.Map<String, Long> into = digest.get("type").asText().equals("read") ? readMarks : deliveredMarks;
                    if (into == readMarks) {
                        readDigests.add(digest);
                    }
                    digest.get("marks").fields().forEachRemaining(m -> into.merge(m.getKey(), m.getValue().asLong(), Math::max));
                }
                return readers.stream().allMatch(r -> readMarks.getOrDefault(r.toString(), 0L) == last
                        && deliveredMarks.getOrDefault(r.toString(), 0L) == last);
            });
            assertThat(readDigests).as("thirty read marks arrive coalesced, not one receipt each").hasSizeLessThanOrEqualTo(5);
            assertThat(broker.session().execute("SELECT user_id, up_to_seq FROM " + broker.keyspace()
                    + ".read_watermarks WHERE conversation_id = ?", conversation).all())
                    .extracting(r -> r.getLong("up_to_seq")).containsOnly(last);
            assertThat(broker.session().execute("SELECT user_id, up_to_seq FROM " + broker.keyspace()
                    + ".delivered_watermarks WHERE conversation_id = ?", conversation).all())
                    .hasSize(3).extracting(r -> r.getLong("up_to_seq")).containsOnly(last);

            UUID stranger = broker.newUser("stranger");
            try (ChatDevice strangerPhone = broker.device(stranger, "phone")) {
                assertThat(strangerPhone.publish("users/" + stranger + "/receipts", ("{\"conversationId\":\""
                        + conversation + "\",\"type\":\"read\",\"upToSeq\":1}").getBytes(StandardCharsets.UTF_8))
                        .reasonCode()).isEqualTo(NOT_AUTHORIZED);
            }
        } finally {
            for (ChatDevice phone : readerPhones) {
                phone.close();
            }
        }
    }
}
