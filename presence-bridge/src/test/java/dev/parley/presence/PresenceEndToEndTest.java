package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.devstack.testing.TcpProxy;
import dev.parley.devstack.testing.TestDependencies;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.presence.testing.AsyncApiSchemas;
import dev.parley.presence.testing.BrokerNode;
import dev.parley.presence.testing.Device;
import dev.parley.presence.testing.TestSchema;
import dev.parley.presence.testing.Watcher;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.file.Path;
import static java.nio.charset.StandardCharsets.UTF_8;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence end to end: a real broker (HiveMQ CE with the packaged extension, in its own JVM), the test
 * Cassandra and Redis, the bridge running in this JVM, and real MQTT 5 clients for Alice and Bob's devices.
 * Devices use a keep-alive of {@value #KEEP_ALIVE_SECONDS} s, so a vanished device is detected after
 * {@value #KEEP_ALIVE_SECONDS} × 1.5 s.
 */
@Timeout(180)
class PresenceEndToEndTest {

    static final int KEEP_ALIVE_SECONDS = 2;
    private static final AsyncApiSchemas CONTRACT = AsyncApiSchemas.load();
    private static final ExecutorService FLAPPERS = Executors.newFixedThreadPool(10);
    static final String SECRET = "presence-test-token-secret-0123456789abcdefghijkl";

    @TempDir
    static Path root;
    private static TestSchema schema;
    private static BrokerNode broker;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;
    private static PresenceSettings settings;
    private static PresenceBridge bridge;
    private static StatefulRedisPubSubConnection<String, String> signals;

    @BeforeAll
    static void start() throws Exception {
        schema = TestSchema.create("presence_e2e");
        broker = BrokerNode.start(root.resolve("broker"), schema.keyspace, SECRET);
        redisClient = RedisClient.create("redis://" + TestDependencies.redis());
        redis = redisClient.connect();
        signals = redisClient.connectPubSub();
        settings = new PresenceSettings(broker.tcpUri(), "e2e-" + UUID.randomUUID().toString().substring(0, 8),
                SECRET, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(1));
        bridge = new PresenceBridge(settings, redis, signals, schema.presence, Clock.systemUTC());
        bridge.start();
        await("bridge subscribed").atMost(Duration.ofSeconds(30)).until(bridge::ready);
    }

    @AfterAll
    static void stop() {
        FLAPPERS.shutdownNow();
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
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aFriendSeesOnlineAtOnceStillOnlineWhenOneDeviceDropsAndOfflineWhenTheLastVanishes() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET);
             TcpProxy phoneLine = TcpProxy.to("127.0.0.1", broker.mqttPort())) {
            // Alice watches before Bob has ever connected, so what she sees is the live change, not a retained state.
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            Instant connecting = Instant.now();
            Device laptop = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "laptop"), SECRET, KEEP_ALIVE_SECONDS);
            await("Alice sees Bob online").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> watcher.last() != null && watcher.last().status().equals("online"));
            assertThat(watcher.last().retained()).as("a live update, not a retained state").isFalse();
            System.out.printf("online seen %d ms after Bob's first device started connecting%n",
                    Duration.between(connecting, watcher.last().receivedAt()).toMillis());

            Device phone = Device.connect("tcp://" + phoneLine.endpoint(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> devices(bob).size() == 2);
            System.out.printf("Redis memory for a user online with 2 devices: aggregate %d B, devices %d B"
                            + " (+ 2 members of the shared lease set)%n", redis.sync().memoryUsage(PresenceKeys.key(bob)),
                    redis.sync().memoryUsage(PresenceStore.devicesKey(bob)));
            laptop.crash();
            await("the laptop's will is applied").atMost(Duration.ofSeconds(5)).until(() -> devices(bob).keySet(),
                    keys -> keys.equals(java.util.Set.of("phone")));
            assertThat(aggregate(bob)).containsEntry(PresenceKeys.STATUS, PresenceKeys.ONLINE);
            assertThat(watcher.updates()).extracting(Watcher.Update::status).containsOnly("online");

            // The phone vanishes: no DISCONNECT, no FIN; only the missing keep-alive tells the broker.
            phoneLine.dropSilently();
            Instant vanished = Instant.now();
            Duration bound = Duration.ofMillis(KEEP_ALIVE_SECONDS * 1500L + 1000);
            await("Alice sees Bob offline").atMost(bound).pollInterval(Duration.ofMillis(10))
                    .until(() -> watcher.last().status().equals("offline"));
            Watcher.Update offline = watcher.last();
            System.out.printf("offline seen %d ms after the last device vanished (keep-alive %d s, bound %d ms)%n",
                    Duration.between(vanished, offline.receivedAt()).toMillis(), KEEP_ALIVE_SECONDS, bound.toMillis());
            Instant lastSeen = Instant.parse(offline.lastSeen());
            assertThat(lastSeen).isBetween(vanished, offline.receivedAt());
            assertThat(aggregate(bob)).containsEntry(PresenceKeys.STATUS, PresenceKeys.OFFLINE)
                    .containsEntry(PresenceKeys.LAST_SEEN, offline.lastSeen());
            await("the last seen is persisted in Cassandra").atMost(Duration.ofSeconds(5))
                    .until(() -> schema.presence.find(bob).toCompletableFuture().join().lastSeen(),
                            seen -> lastSeen.truncatedTo(ChronoUnit.MILLIS).equals(seen));
            for (Watcher.Update update : watcher.updates()) {
                assertThat(CONTRACT.violations("UserPresence", update.json())).as(update.json().toString()).isEmpty();
            }
            phone.close();
            laptop.close();
        }
    }

    @Test
    void aFriendWhoSubscribesLaterGetsTheRetainedState() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        try (Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));
            try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "laptop"), SECRET)) {
                assertThat(watcher.subscribe(bob)).isEqualTo(1);
                await().atMost(Duration.ofSeconds(5)).until(() -> watcher.last() != null);
                assertThat(watcher.last().retained()).isTrue();
                assertThat(watcher.last().status()).isEqualTo("online");
                assertThat(watcher.last().json().path("userId").asText()).isEqualTo(bob.toString());
            }
        }
    }

    @Test
    void whatDevicesSendIsTheDocumentedPresenceAndTheBridgeIgnoresAnythingElse() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String payload : List.of(Device.online("c-1"), Device.offline("c-1"), "{\"status\":\"online\"}")) {
            assertThat(CONTRACT.violations("DevicePresence", json.readTree(payload))).as(payload).isEmpty();
            assertThat(DeviceReport.parse("presence/" + UUID.randomUUID() + "/phone", payload.getBytes(UTF_8), Instant.now()))
                    .as(payload).isPresent();
        }
        for (String payload : List.of("{\"status\":\"away\"}", "{}", "{\"status\":\"online\",\"connection\":\"a b\"}")) {
            assertThat(CONTRACT.violations("DevicePresence", json.readTree(payload))).as(payload).isNotEmpty();
            assertThat(DeviceReport.parse("presence/" + UUID.randomUUID() + "/phone", payload.getBytes(UTF_8), Instant.now()))
                    .as(payload).isEmpty();
        }
        assertThat(DeviceReport.parse("presence/" + UUID.randomUUID() + "/phone", "online".getBytes(UTF_8), Instant.now()))
                .isEmpty();
        assertThat(DeviceReport.parse("presence/" + UUID.randomUUID(), Device.online("c").getBytes(UTF_8), Instant.now()))
                .as("an aggregate topic is no device's report").isEmpty();
    }

    @Test
    void aWillPublishedWhileTheBridgeIsAwayIsAppliedWhenItComesBack() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET);
             Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> watcher.last() != null && watcher.last().status().equals("online"));

            bridge.close();
            Instant left = Instant.now();
            phone.crash();
            // The broker queues the will in the bridge's persistent session meanwhile; nothing applies it yet.
            await("Bob still online while no bridge runs").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));

            Instant restarted = Instant.now();
            bridge = new PresenceBridge(settings, redis, signals, schema.presence, Clock.systemUTC());
            bridge.start();
            await("the queued will is applied after the restart").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(20)).until(() -> watcher.last().status().equals("offline"));
            System.out.printf("a will queued during a bridge restart reached Alice %d ms after the restart%n",
                    Duration.between(restarted, watcher.last().receivedAt()).toMillis());
            assertThat(devices(bob)).isEmpty();
            // Last seen is when Bob left, not when the bridge came back (3 s later): the will's expiry countdown,
            // in whole seconds, tells how long it waited.
            Instant lastSeen = Instant.parse(aggregate(bob).get(PresenceKeys.LAST_SEEN));
            assertThat(lastSeen).isBetween(left.minusMillis(1_500), left.plusMillis(1_500));
            assertThat(Duration.between(lastSeen, restarted)).isGreaterThan(Duration.ofMillis(1_500));
        }
    }

    @Test
    void aStrangerCannotWatch() throws Exception {
        UUID bob = newUser("bob");
        UUID stranger = newUser("stranger");
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(stranger, "phone"), SECRET)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(0x87);
        }
    }

    @Test
    void flappingGivesBoundedUpdatesAndTheRightFinalState() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            // 100 cycles of connect, announce, then leave or drop the socket, by ten of Bob's devices at once.
            long start = System.nanoTime();
            List<CompletableFuture<Void>> flapping = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                ClientIdentity device = new ClientIdentity(bob, "flapper-" + d);
                flapping.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            Device flapper = Device.connect(broker.tcpUri(), device, SECRET, KEEP_ALIVE_SECONDS);
                            if (i % 2 == 0) {
                                flapper.leave();
                            } else {
                                flapper.crash();
                                flapper.close();
                            }
                        } catch (MqttException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, FLAPPERS));
            }
            CompletableFuture.allOf(flapping.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            await("Bob ends offline").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last() != null && watcher.last().status().equals("offline")
                            && PresenceKeys.OFFLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));
            int afterFlapping = quietUpdates(watcher);
            System.out.printf("100 connect/leave-or-drop cycles on 10 devices in %.1f s gave Alice %d presence updates%n",
                    seconds, afterFlapping);
            // At most one per second (plus the first, immediate one and one re-publish after a race).
            assertThat(afterFlapping).isLessThanOrEqualTo((int) Math.ceil(seconds) + 3);
            assertThat(devices(bob)).isEmpty();

            // And the final state is right when it is "online" too.
            try (Device staying = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
                await("Bob ends online").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> watcher.last().status().equals("online"));
                quietUpdates(watcher);
                assertThat(watcher.last().status()).isEqualTo("online");
                assertThat(aggregate(bob)).containsEntry(PresenceKeys.STATUS, PresenceKeys.ONLINE);
                assertThat(devices(bob).keySet()).containsExactly("phone");
            }
        }
    }

    /** Waits until no update has arrived for 2.5 s (the debounce is 1 s) and returns how many arrived in all. */
    private static int quietUpdates(Watcher watcher) {
        AtomicInteger seen = new AtomicInteger(-1);
        await("presence updates to settle").during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    int now = watcher.updates().size();
                    return seen.getAndSet(now) == now;
                });
        return watcher.updates().size();
    }

    @Test
    void invisibleLooksOfflineWithoutLastSeenAndHiddenLastSeenKeepsOnlyTheStatus() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET);
             Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> watcher.last() != null && watcher.last().status().equals("online"));

            setPrivacy(bob, new PresencePrivacy(true, true));
            await("Alice sees invisible Bob offline").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().status().equals("offline"));
            assertThat(watcher.last().lastSeen()).isNull();
            assertThat(aggregate(bob)).as("Redis keeps the truth").containsEntry(PresenceKeys.STATUS, PresenceKeys.ONLINE);
            // Nothing reaches Alice while invisible Bob comes and goes: not even a repeat of "offline".
            int seen = watcher.updates().size();
            phone.leave();
            await().atMost(Duration.ofSeconds(5)).until(() -> PresenceKeys.OFFLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));
            Device again = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));
            await("no update while invisible").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> watcher.updates().size() == seen);

            setPrivacy(bob, new PresencePrivacy(false, false));
            await("Alice sees Bob online again").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().status().equals("online"));
            again.leave();
            await("Alice sees Bob offline").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().status().equals("offline"));
            assertThat(watcher.last().lastSeen()).as("last seen hidden").isNull();
            Instant persistedLastSeen = await().atMost(Duration.ofSeconds(5))
                    .until(() -> schema.presence.find(bob).toCompletableFuture().join().lastSeen(), java.util.Objects::nonNull);

            setPrivacy(bob, PresencePrivacy.DEFAULT);
            await("Alice sees Bob's last seen again").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().lastSeen() != null);
            assertThat(Instant.parse(watcher.last().lastSeen()).truncatedTo(ChronoUnit.MILLIS)).isEqualTo(persistedLastSeen);
            for (Watcher.Update update : watcher.updates()) {
                assertThat(CONTRACT.violations("UserPresence", update.json())).as(update.json().toString()).isEmpty();
            }
        }
    }

    @Test
    void withoutASettingsMirrorTheBridgeReadsCassandraAndRefillsIt() throws Exception {
        UUID alice = newUser("alice");
        UUID bob = newUser("bob");
        befriend(alice, bob);
        // Set in Cassandra only, as if Redis had been emptied since persistence-service mirrored it.
        schema.presence.saveSettings(bob, new PresencePrivacy(true, true), Instant.now()).toCompletableFuture().join();
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET);
             Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> PresenceKeys.ONLINE.equals(aggregate(bob).get(PresenceKeys.STATUS)));
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> watcher.last() != null);
            assertThat(watcher.last().status()).isEqualTo("offline");
            assertThat(redis.sync().hgetall(PresenceKeys.settingsKey(bob)))
                    .containsEntry(PresenceKeys.VISIBILITY, PresenceKeys.INVISIBLE);
            assertThat(redis.sync().ttl(PresenceKeys.settingsKey(bob))).isPositive();
            System.out.printf("Redis memory for a user's settings mirror: %d B%n",
                    redis.sync().memoryUsage(PresenceKeys.settingsKey(bob)));
        }
    }

    /** What persistence-service's PUT /v1/me/presence does: Cassandra, the Redis mirror, the signal. */
    private static void setPrivacy(UUID user, PresencePrivacy privacy) {
        schema.presence.saveSettings(user, privacy, Instant.now()).toCompletableFuture().join();
        redis.sync().hset(PresenceKeys.settingsKey(user), privacy.toHash());
        redis.sync().publish(PresenceKeys.SETTINGS_CHANGED, user.toString());
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
