package dev.parley.system;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Send→deliver latency of 1:1 messages through a running stack, at a low rate: Alice's device
 * publishes, Bob's device receives the stored envelope; latency = receive time − publish time.
 * Not a test (no timing is asserted anywhere); a quick measuring tool beside the benchmark (which compares
 * with plain HiveMQ).
 *
 * <p>Usage: {@code java -cp <system-tests test classpath> dev.parley.system.LatencyProbe <data-dir> [messages] [per-second]}
 * against a stack from {@code ./parley up --data-dir <data-dir>}.
 */
public final class LatencyProbe {

    private LatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Properties stack = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("run/stack.properties"))) {
            stack.load(reader);
        }
        AccessTokens tokens = new AccessTokens(Files.readString(dataDir.resolve("secrets/token-secret")).strip(),
                Clock.systemUTC());
        UUID alice = register(stack, "alice");
        UUID bob = register(stack, "bob");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch received = new CountDownLatch(count);
        String uri = stack.getProperty("mqtt.tcp");
        MqttAsyncClient bobPhone = connect(uri, new ClientIdentity(bob, "phone"), tokens, (topic, message) -> {
            long now = System.nanoTime();
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            int at = payload.indexOf("\"clientMsgId\":\"") + 15;
            Long start = sentAt.remove(payload.substring(at, payload.indexOf('"', at)));
            if (start != null) {
                latenciesMicros.add((now - start) / 1_000);
                received.countDown();
            }
        });
        bobPhone.subscribe("users/" + bob + "/messages", 1).waitForCompletion(10_000);
        MqttAsyncClient alicePhone = connect(uri, new ClientIdentity(alice, "phone"), tokens, (t, m) -> { });
        // The broker lets a client have 10 unacknowledged QoS 1 publishes; the first sends of a cold stack (JIT,
        // the conversation's lease claim) can take longer than 10 intervals, so wait for a slot rather than fail.
        Semaphore inFlight = new Semaphore(10);
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            String id = "lat-" + i;
            String json = "{\"clientMsgId\":\"" + id + "\",\"text\":\"" + "x".repeat(300) + "\"}";
            inFlight.acquire();
            sentAt.put(id, System.nanoTime());
            alicePhone.publish("users/" + bob + "/messages", new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1,
                    false, new MqttProperties()), null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            inFlight.release();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            inFlight.release();
                        }
                    });
            next += interval;
        }
        boolean all = received.await(60, TimeUnit.SECONDS);
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        System.out.printf("%d of %d delivered at %d msg/s (300-character texts): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms%n", sorted.size(), count, perSecond, pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0);
        alicePhone.disconnect().waitForCompletion(5_000);
        bobPhone.disconnect().waitForCompletion(5_000);
        alicePhone.close();
        bobPhone.close();
        System.exit(all ? 0 : 1);
    }

    private static double pct(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1000.0;
    }

    private static UUID register(Properties stack, String handle) {
        String[] cql = stack.getProperty("cassandra").split(":");
        try (CqlSession session = CassandraSessions.open(CassandraSettings.local(cql[0], Integer.parseInt(cql[1]),
                "parley"), "latency-probe").toCompletableFuture().join()) {
            UUID id = UUID.randomUUID();
            new UserStore(session, "parley").insert(new UserRecord(id, handle + "-" + id, handle, null, null, null,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS))).toCompletableFuture().join();
            return id;
        }
    }

    interface Arrival {
        void arrived(String topic, MqttMessage message);
    }

    private static MqttAsyncClient connect(String uri, ClientIdentity device, AccessTokens tokens, Arrival arrival)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, device.clientId(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrival.arrived(topic, message);
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setUserName(device.userId().toString());
        options.setPassword(tokens.issue(device, Duration.ofHours(1)).getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(15_000);
        return client;
    }
}
