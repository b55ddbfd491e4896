package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.JavaService;
import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.presence.testing.BrokerNode;
import dev.parley.presence.testing.Device;
import dev.parley.presence.testing.TestSchema;
import dev.parley.presence.testing.Watcher;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.presence.PresenceKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * presence-bridge as operators run it (the packaged Quarkus application, its own process) killed with SIGKILL
 * while users come and go, then started again: the friends' retained presence and Redis come back to the
 * truth, because the broker kept the bridge's session (reports, wills included, queued while it was dead;
 * those it had received but not applied are unacknowledged and delivered again) and the publishes it left
 * waiting for their one-per-second slot are remembered in Redis and made by the bridge that starts.
 */
@Timeout(300)
class PresenceBridgeKillIT {

    private static final String SECRET = "presence-kill-test-token-secret-0123456789abcdefghij";
    private static final int USERS = 6;
    private static final int KEEP_ALIVE_SECONDS = 5;
    /** The stated bound: queued reports and the unpublished ones go out within the 1 s publish interval. */
    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(5);
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @TempDir
    static Path root;
    private static TestSchema schema;
    private static BrokerNode broker;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;
    private static final ExecutorService USERS_AT_WORK = Executors.newFixedThreadPool(USERS);

    @BeforeAll
    static void start() {
        schema = TestSchema.create("presence_kill");
        broker = BrokerNode.start(root.resolve("broker"), schema.keyspace, SECRET);
        redisClient = RedisClient.create("redis://" + TestDependencies.redis());
        redis = redisClient.connect();
    }

    @AfterAll
    static void stop() {
        USERS_AT_WORK.shutdownNow();
        if (redis != null) {
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
    void killedWhileUsersComeAndGoTheBridgeComesBackToTheTruth() throws Exception {
        UUID alice = schema.newUser("alice");
        List<UUID> users = new ArrayList<>();
        List<Watcher> watchers = new ArrayList<>();
        ChildProcess bridge = startBridge("first");
        try {
            for (int i = 0; i < USERS; i++) {
                UUID user = schema.newUser("user" + i);
                schema.befriend(alice, user);
                users.add(user);
                Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "watch-" + i), SECRET);
                assertThat(watcher.subscribe(user)).isEqualTo(1);
                watchers.add(watcher);
            }

            // Every user's phone connects, announces itself and leaves or drops, over and over; the even users
            // end connected (online), the odd ones with a dropped connection (their will says offline).
            AtomicInteger cycles = new AtomicInteger();
            AtomicBoolean bridgeDead = new AtomicBoolean();
            AtomicInteger cyclesWhileDead = new AtomicInteger();
            List<CompletableFuture<Device>> working = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                ClientIdentity phone = new ClientIdentity(users.get(i), "phone");
                boolean endsOnline = i % 2 == 0;
                working.add(CompletableFuture.supplyAsync(() -> comeAndGo(phone, endsOnline, cycles, bridgeDead,
                        cyclesWhileDead), USERS_AT_WORK));
            }
            // Paho's receiver thread can trip over a client closed right after its socket was dropped (an NPE
            // of its own, harmless here): not a failure of what this test checks.
            await("users at work").dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> cycles.get() >= 30);
            bridge.kill();
            bridgeDead.set(true);
            List<Device> connected = new ArrayList<>();
            for (CompletableFuture<Device> user : working) {
                Device last = user.get(120, TimeUnit.SECONDS);
                if (last != null) {
                    connected.add(last);
                }
            }
            assertThat(cyclesWhileDead.get()).as("reports made while the bridge was dead").isPositive();

            bridge = startBridge("restarted");
            Instant restarted = Instant.now();
            await("every friend sees the truth, and Redis holds it").atMost(CONVERGED_WITHIN)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        for (int i = 0; i < USERS; i++) {
                            String expected = i % 2 == 0 ? PresenceKeys.ONLINE : PresenceKeys.OFFLINE;
                            Watcher.Update last = watchers.get(i).last();
                            if (last == null || !last.status().equals(expected)
                                    || !expected.equals(redis.sync().hget(PresenceKeys.key(users.get(i)), PresenceKeys.STATUS))) {
                                return false;
                            }
                        }
                        return true;
                    });
            System.out.printf("PRESENCE KILL: %d cycles (%d while the bridge was dead); friends saw the truth %d ms after"
                            + " the restarted bridge was ready%n", cycles.get(), cyclesWhileDead.get(),
                    Duration.between(restarted, Instant.now()).toMillis());
            for (int i = 0; i < USERS; i++) {
                assertThat(redis.sync().hkeys(PresenceStore.devicesKey(users.get(i))))
                        .as("user %d's online devices", i).isEqualTo(i % 2 == 0 ? List.of("phone") : List.of());
            }
            assertThat(redis.sync().hkeys(PresenceStore.UNPUBLISHED)).as("publishes left waiting")
                    .doesNotContainAnyElementsOf(users.stream().map(UUID::toString).toList());
            connected.forEach(Device::close);
        } finally {
            watchers.forEach(Watcher::close);
            bridge.stop(Duration.ofSeconds(10));
        }
    }

    /**
     * The kill lands after the last change was applied to Redis but before its retained publish (waiting for
     * the user's next publish slot, 10 s here so that the window is certain): the bridge that starts next
     * makes it, from the intent the script left in Redis, though no report ever comes again.
     */
    @Test
    void aPublishLeftWaitingByAKilledBridgeIsMadeByTheNextOne() throws Exception {
        UUID alice = schema.newUser("alice");
        UUID bob = schema.newUser("bob");
        schema.befriend(alice, bob);
        ChildProcess bridge = startBridge("slot-first", "-Dparley.presence.publish-interval=10s");
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS);
            await("Alice sees Bob online").atMost(Duration.ofSeconds(5))
                    .until(() -> watcher.last() != null && watcher.last().status().equals("online"));
            phone.leave();
            await("Bob offline in Redis").atMost(Duration.ofSeconds(5))
                    .until(() -> PresenceKeys.OFFLINE.equals(redis.sync().hget(PresenceKeys.key(bob), PresenceKeys.STATUS)));
            bridge.kill();
            assertThat(watcher.last().status()).as("the offline publish was still waiting for its slot").isEqualTo("online");

            bridge = startBridge("slot-restarted");
            Instant restarted = Instant.now();
            await("Alice sees Bob offline").atMost(CONVERGED_WITHIN).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().status().equals("offline"));
            System.out.printf("PRESENCE KILL: a publish left waiting was made %d ms after the next bridge was ready%n",
                    Duration.between(restarted, Instant.now()).toMillis());
        } finally {
            bridge.stop(Duration.ofSeconds(10));
        }
    }

    /**
     * The kill lands after the bridge received a report and before Redis applied it (Redis paused for writes):
     * the report was not acknowledged, so the broker delivers it again to the bridge that resumes the session.
     */
    @Test
    void aReportReceivedButNotAppliedWhenTheBridgeDiesIsAppliedByTheNextOne() throws Exception {
        UUID alice = schema.newUser("alice");
        UUID bob = schema.newUser("bob");
        schema.befriend(alice, bob);
        ChildProcess bridge = startBridge("ack-first");
        try (Watcher watcher = Watcher.connect(broker.tcpUri(), new ClientIdentity(alice, "phone"), SECRET)) {
            assertThat(watcher.subscribe(bob)).isEqualTo(1);
            Device phone = Device.connect(broker.tcpUri(), new ClientIdentity(bob, "phone"), SECRET, KEEP_ALIVE_SECONDS);
            await("Alice sees Bob online").atMost(Duration.ofSeconds(5))
                    .until(() -> watcher.last() != null && watcher.last().status().equals("online"));
            Instant paused = Instant.now();
            // CLIENT PAUSE 3000 WRITE (this Lettuce has no argument for the mode): reads go on, writes and scripts wait.
            redis.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(3_000).add("WRITE"));
            phone.leave();
            // The bridge got the will: its script is held by the pause (a client blocked on EVAL).
            await("the will's script held at Redis").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> redis.sync().clientList().lines().anyMatch(PresenceBridgeKillIT::scriptHeldByPause));
            bridge.kill();
            await("Redis writable again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Duration.between(paused, Instant.now()).toMillis() > 3_000);
            assertThat(redis.sync().hget(PresenceKeys.key(bob), PresenceKeys.STATUS)).as("the will not applied")
                    .isEqualTo(PresenceKeys.ONLINE);

            bridge = startBridge("ack-restarted");
            await("Alice sees Bob offline").atMost(CONVERGED_WITHIN).pollInterval(Duration.ofMillis(20))
                    .until(() -> watcher.last().status().equals("offline"));
            assertThat(redis.sync().hget(PresenceKeys.key(bob), PresenceKeys.STATUS)).isEqualTo(PresenceKeys.OFFLINE);
        } finally {
            bridge.stop(Duration.ofSeconds(10));
        }
    }

    /** A CLIENT LIST line of a connection whose EVAL waits for the pause to end (flag b: blocked). */
    private static boolean scriptHeldByPause(String client) {
        return client.contains(" cmd=eval") && java.util.Arrays.stream(client.split(" "))
                .anyMatch(field -> field.startsWith("flags=") && field.contains("b"));
    }

    /**
     * Cycles until 15 cycles after the bridge died; then leaves the phone connected (returned) or dropped
     * (null), as asked.
     */
    private static Device comeAndGo(ClientIdentity phone, boolean endsOnline, AtomicInteger cycles,
                                    AtomicBoolean bridgeDead, AtomicInteger cyclesWhileDead) {
        int afterDeath = 0;
        try {
            for (int cycle = 0; cycle < 2_000 && afterDeath < 15; cycle++) {
                Device device = Device.connect(broker.tcpUri(), phone, SECRET, KEEP_ALIVE_SECONDS);
                if (bridgeDead.get()) {
                    afterDeath++;
                    cyclesWhileDead.incrementAndGet();
                }
                cycles.incrementAndGet();
                if (afterDeath == 15 && endsOnline) {
                    return device;
                }
                if (cycle % 2 == 0 && afterDeath < 15) {
                    device.leave();
                } else {
                    device.crash();
                    device.close();
                }
            }
            return null;
        } catch (MqttException e) {
            throw new IllegalStateException("device " + phone.clientId() + " failed", e);
        }
    }

    private static ChildProcess startBridge(String run, String... settings) throws IOException {
        Path secret = root.resolve("token-secret");
        Files.writeString(secret, SECRET);
        int port = Ports.free();
        List<String> jvm = new ArrayList<>(List.of(settings));
        jvm.addAll(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                        "-Dparley.redis.uri=redis://" + TestDependencies.redis(),
                        "-Dparley.cassandra.contact-points=" + TestDependencies.cassandra(),
                        "-Dparley.cassandra.keyspace=" + schema.keyspace,
                        "-Dparley.cassandra.request-timeout=30s",
                        "-Dparley.presence.mqtt-uri=" + broker.tcpUri(),
                        "-Dparley.presence.token-secret-file=" + secret,
                        // The same instance both times: the restarted bridge resumes the killed one's session.
                        "-Dparley.presence.instance=kill-test"));
        return JavaService.start("presence-bridge", jvm, List.of("-jar", JAR.toAbsolutePath().toString()), root.resolve("presence-bridge-" + run + ".log"),
                URI.create("http://127.0.0.1:" + port + "/q/health/ready"), Duration.ofSeconds(120));
    }
}
