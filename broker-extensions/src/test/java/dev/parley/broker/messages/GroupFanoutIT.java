package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Ack;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.protocol.ConversationId;
import dev.parley.store.groups.GroupStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full group: 200 members, each with a connected device, three members sending 100 messages each at
 * once. Every device must receive all 300 in one and the same order, the store must hold them gapless,
 * and a 201st member is refused while delivery to the 200 goes on.
 */
@Timeout(600)
class GroupFanoutIT {

    private static final Logger LOG = LoggerFactory.getLogger(GroupFanoutIT.class);
    private static final int MEMBERS = GroupStore.MAX_MEMBERS;
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 100;

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;
    private static GroupAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "fanout");
        admin = new GroupAdmin(broker.session(), broker.keyspace());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void twoHundredMembersEachReceiveAllThreeHundredMessagesInOneOrder() throws Exception {
        List<UUID> members = IntStream.range(0, MEMBERS).mapToObj(i -> broker.newUser("member" + i)).toList();
        UUID group = admin.create("Everyone", members);
        String conversation = ConversationId.group(group).value();
        assertThat(admin.join(group, broker.newUser("one-too-many")).result()).isEqualTo(GroupStore.Result.FULL);

        List<ChatDevice> devices = new ArrayList<>();
        ExecutorService connecting = Executors.newFixedThreadPool(8);
        try {
            // Connected eight at a time: one by one, connecting is most of this test's time.
            List<CompletableFuture<ChatDevice>> connects = members.stream().map(member -> CompletableFuture.supplyAsync(() -> {
                try {
                    return broker.device(member, "phone");
                } catch (Exception e) {
                    throw new IllegalStateException("member " + member + " could not connect", e);
                }
            }, connecting)).toList();
            for (CompletableFuture<ChatDevice> connect : connects) {
                devices.add(connect.get(120, TimeUnit.SECONDS));
            }
            long started = System.nanoTime();
            List<CompletableFuture<List<Ack>>> sends = IntStream.range(0, SENDERS).mapToObj(s ->
                    CompletableFuture.supplyAsync(() -> {
                        List<String> payloads = IntStream.range(0, PER_SENDER).mapToObj(i -> new String(
                                ChatDevice.message("s" + s + "-" + i, "sender " + s + " message " + i),
                                StandardCharsets.UTF_8)).toList();
                        try {
                            return devices.get(s).publishAll("groups/" + group + "/messages", payloads);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })).toList();
            for (CompletableFuture<List<Ack>> send : sends) {
                assertThat(send.get(300, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.reasonCode()).isZero());
            }

            int expected = SENDERS * PER_SENDER;
            Map<ChatDevice, List<String>> orders = new HashMap<>();
            Map<String, Long> storedAt = new HashMap<>();
            for (ChatDevice device : devices) {
                List<String> ids = new ArrayList<>();
                await("all group messages at " + device.identity().clientId()).atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            device.drain(Kind.MESSAGES).stream()
                                    .filter(e -> e.get("conversationId").asText().equals(conversation) && !e.has("event"))
                                    .forEach(e -> {
                                        ids.add(e.get("seq").asLong() + ":" + e.get("id").asText());
                                        storedAt.putIfAbsent(e.get("id").asText(),
                                                Instant.parse(e.get("sentAt").asText()).toEpochMilli());
                                    });
                            return ids.size() >= expected;
                        });
                orders.put(device, ids);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // Fan-out latency: from the message's place being taken (sentAt, just before its rows are
            // written) to each member's device receiving it; same machine, same clock.
            long[] latencies = devices.stream().flatMap(d -> storedAt.entrySet().stream()
                            .map(e -> d.arrivalOf(e.getKey()).orElseThrow() - e.getValue()))
                    .mapToLong(Long::longValue).sorted().toArray();
            LOG.info("Group fan-out latency over {} deliveries: p50 {} ms, p99 {} ms, max {} ms", latencies.length,
                    latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)],
                    latencies[latencies.length - 1]);
            LOG.info("{} messages to {} members: {} deliveries in {} s ({} deliveries/s, from the first send until every"
                    + " device had all, the test's own reading included)", expected, MEMBERS, expected * MEMBERS, String.format("%.1f", seconds),
                    Math.round(expected * MEMBERS / seconds));

            List<String> reference = orders.get(devices.get(0));
            assertThat(reference).hasSize(expected).doesNotHaveDuplicates();
            assertThat(orders.values()).allSatisfy(order -> assertThat(order).isEqualTo(reference));
            assertThat(broker.storedSeqs(ConversationId.group(group)))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, expected + 1).boxed().toList());
        } finally {
            connecting.shutdownNow();
            for (ChatDevice device : devices) {
                device.close();
            }
        }
    }
}
