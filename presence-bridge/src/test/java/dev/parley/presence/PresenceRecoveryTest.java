package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import dev.parley.presence.testing.BrokerNode;
import dev.parley.presence.testing.Device;
import dev.parley.presence.testing.TestSchema;
import dev.parley.presence.testing.Watcher;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.presence.PresenceKeys;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence when Redis loses its state or goes away, end to end: a Redis of this test's own (it flushes and
 * stops it), a real broker process using it, the bridge on it with a sweep of {@value #SWEEP_SECONDS} s, the
 * test Cassandra, real MQTT 5 devices. The convergence bound after a flush is the sweep interval (when the
 * loss is noticed) + the broker's re-announce and the bridge's script and publish; asserted with a
 * generous margin for this busy machine, and printed.
 */
@Timeout(240)
class PresenceRecoveryTest {

    static final int KEEP_ALIVE_SECONDS = 2;
    static final int SWEEP_SECONDS = 1;
    static final String SECRET = "presence-recovery-test-token-secret-0123456789ab";
    /** Sweep (1 s) + re-announce settle (2 s) + one coalesced publish (1 s), plus a margin for this busy machine. */
    static final Duration FLUSH_BOUND = Duration.ofSeconds(10);

    @TempDir
    static Path root;
    private static RedisNode redisNode;
    private static RedisNode.Settings redisSettings;
    private static TestSchema schema;
    private static BrokerNode broker;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;
    private static StatefulRedisPubSubConnection<String, String> signals;
    private static PresenceBridge bridge;

    @BeforeAll
    static void start() throws Exception {
        redisSettings = new RedisNode.Settings(Files.createDirectories(root.resolve("redis")), "127.0.0.1", Ports.free(), false);
        redisNode = RedisNode.start(redisSettings, Duration.ofSeconds(30));
        schema = TestSchema.create("presence_recovery");
        broker = BrokerNode.start(root.resolve("broker"), schema.keyspace, SECRET, redisNode.endpoint());
        redisClient = RedisClient.create("redis://" + redisNode.endpoint());
        // As the service's client (redis-support): fail commands at once while disconnected, never queue them.
        redisClient.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        redis = redisClient.connect();
        signals = redisClient.connectPubSub();
        PresenceSettings settings = new PresenceSettings(broker.tcpUri(), "recovery-" + UUID.randomUUID().toString()
                .substring(0, 8), SECRET, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(SWEEP_SECONDS),
                Duration.ofMinutes(5), Duration.ofHours(1));
        bridge = new PresenceBridge(settings, redis, signals, schema.presence, Clock.systemUTC());
        bridge.start();
        await("bridge subscribed").atMost(Duration.ofSeconds(30)).until(bridge::ready);
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (redis != null) {
            signals.close();
            redis.close();
            redisClient.shutdown();
        }
        if (broker != null) {
            broker.close();
        }
        if (redisNode != null) {
            redisNode.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void afterAFlushOnlineDevicesShowOnlineAgainAndOneThatLeftMeanwhileDoesNot() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        UUID carol = newUser("carol");
        befriend(alice, bob);
        befriend(alice, carol);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET);
             Device laptop = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "laptop"), SECRET, KEEP_ALIVE_SECONDS);
             Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS);
             Device carolsPhone = Device.connect(broker.tcpUri(), new ClientIdentity(carol, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            assertThat(watcher.subscribe(carol)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> "online".equals(status(watcher, bob))
                    && "online".equals(status(watcher, carol)) && devices(bob).size() == 2);

            Instant flushed = Instant.now();
            redis.sync().flushall();
            // Bob's phone and Carol's only device drop while nothing is in Redis.
            phone.crash();
            carolsPhone.crash();

            await("Bob online again in Redis and for Alice").atMost(FLUSH_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> devices(bob).keySet().equals(Set.of("laptop"))
                            && PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS))
                            && updatesAfter(watcher, bob, flushed).stream().anyMatch(u -> u.status().equals("online"))
                            && "online".equals(status(watcher, bob)));
            Watcher.Update online = last(watcher, bob);
            System.out.printf("after FLUSHALL, Alice saw Bob online again %d ms later (Redis too); sweep %d s%n",
                    Duration.between(flushed, online.receivedAt()).toMillis(), SWEEP_SECONDS);
            await("Carol offline").atMost(FLUSH_BOUND).until(() -> "offline".equals(status(watcher, carol))
                    && PresenceKeys.OFFLINE.equals(aggregate(carol).get(PresenceKeys.STATUS)));
            assertThat(devices(carol)).isEmpty();
            assertThat(redis.sync().exists(PresenceKeys.EPOCH)).isEqualTo(1L);
            laptop.leave();
        }
    }

    @Test
    void oneToOneChatWorksWhileRedisIsDownAndPresenceConvergesWhenItIsBack() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        UUID dave = newUser("dave");
        befriend(alice, bob);
        befriend(alice, dave);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "laptop"), SECRET);
             Device alicesPhone = Device.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET, KEEP_ALIVE_SECONDS);
             Device bobsLaptop = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "laptop"), SECRET, KEEP_ALIVE_SECONDS);
             Device davesPhone = Device.connect(broker.tcpUri(), new ClientIdentity(dave, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            assertThat(alicesPhone.subscribeToMessages(alice)).isEqualTo(1);
            assertThat(bobsLaptop.subscribeToMessages(bob)).isEqualTo(1);
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            assertThat(watcher.subscribe(dave)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> "online".equals(status(watcher, bob))
                    && "online".equals(status(watcher, dave)));

            redisNode.close();
            Instant down = Instant.now();
            await("Redis is down").atMost(Duration.ofSeconds(10)).until(() -> !RedisNode.answersPing(redisNode.endpoint()));

            // Chat does not depend on Redis on one node: stored (PUBACK success) and delivered.
            for (int i = 0; i < 3; i++) {
                assertThat(bobsLaptop.send(alice, "down-b" + i, "while Redis is down " + i)).as("PUBACK of send " + i)
                        .isLessThan(0x80);
            }
            assertThat(alicesPhone.send(bob, "down-a0", "got them")).isLessThan(0x80);
            await("Alice receives Bob's messages").atMost(Duration.ofSeconds(10))
                    .until(() -> alicesPhone.messages().stream().filter(m -> m.contains("while Redis is down")).count() == 3);
            await("Bob receives Alice's").atMost(Duration.ofSeconds(10))
                    .until(() -> bobsLaptop.messages().stream().anyMatch(m -> m.contains("got them")));
            System.out.printf("4 messages sent and delivered with Redis down (%d ms after it stopped)%n",
                    Duration.between(down, Instant.now()).toMillis());

            // Presence degrades: changes meanwhile are not applied; friends keep the last state they got.
            Device bobsTablet = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "tablet"), SECRET, KEEP_ALIVE_SECONDS);
            davesPhone.leave();
            await("Dave's leave is not seen while Redis is down").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> "online".equals(status(watcher, dave)));

            redisNode = RedisNode.start(redisSettings, Duration.ofSeconds(30));
            Instant back = Instant.now();
            // The test reads through the bridge's connection, which rejects commands until it has reconnected.
            await("presence converges after Redis is back (empty)").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(io.lettuce.core.RedisException.class)
                    .until(() -> devices(bob).keySet().equals(Set.of("laptop", "tablet"))
                            && PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS))
                            && PresenceKeys.OFFLINE.equals(aggregate(dave).get(PresenceKeys.STATUS))
                            && "offline".equals(status(watcher, dave)) && "online".equals(status(watcher, bob)));
            System.out.printf("presence converged %d ms after Redis came back%n",
                    Duration.between(back, Instant.now()).toMillis());
            assertThat(devices(dave)).isEmpty();
            bobsTablet.close();
        }
    }

    private static String status(Watcher watcher, UUID user) {
        Watcher.Update update = last(watcher, user);
        return update == null ? null : update.status();
    }

    private static Watcher.Update last(Watcher watcher, UUID user) {
        List<Watcher.Update> updates = watcher.updates().stream()
                .filter(u -> u.json().path("userId").asText().equals(user.toString())).toList();
        return updates.isEmpty() ? null : updates.get(updates.size() - 1);
    }

    private static List<Watcher.Update> updatesAfter(Watcher watcher, UUID user, Instant after) {
        return watcher.updates().stream().filter(u -> u.json().path("userId").asText().equals(user.toString())
                && u.receivedAt().isAfter(after)).toList();
    }

    private static UUID newUser(String handle) {
        return schema.newUser(handle);
    }

    private static void befriend(UUID a, UUID b) {
        schema.befriend(a, b);
    }

    private static Map<String, String> aggregate(UUID user) {
        return redis.sync().hgetall(PresenceKeys.key(user));
    }

    private static Map<String, String> devices(UUID user) {
        return redis.sync().hgetall(PresenceStore.devicesKey(user));
    }
}
