package dev.parley.system;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.BrokerConfig;
import dev.parley.devstack.BrokerMain;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.DevStackException;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.Folders;
import dev.parley.devstack.JavaRuntimes;
import dev.parley.devstack.JavaService;
import dev.parley.devstack.Ports;
import dev.parley.devstack.TokenSecret;
import dev.parley.devstack.testing.FakeFcm;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.push.PushChannels;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.accounts.DeviceRecord;
import dev.parley.store.accounts.DeviceStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The push path as operators run it, on the test run's shared Cassandra and Redis (a keyspace of its
 * own): persistence-service (schema, registration, login, push tokens), a HiveMQ CE JVM loading the
 * packaged Parley extension folder, presence-bridge, and push-service processes from their built
 * Quarkus apps, sending to a {@link FakeFcm} through the service's {@code parley.push.firebase.endpoint}
 * with a service-account key whose token endpoint is the fake too.
 */
final class PushTestStack implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String keyspace = TestDependencies.uniqueKeyspace("pushe2e");
    final FakeFcm fcm = new FakeFcm();
    private final Path dir;
    private final Endpoint cassandra = TestDependencies.cassandra();
    private final Endpoint redisEndpoint = TestDependencies.redis();
    private final List<ChildProcess> services = new ArrayList<>();
    private final AtomicInteger pushInstances = new AtomicInteger();
    private final RedisClient redisClient;
    final StatefulRedisConnection<String, String> redis;
    private Path secret;
    private Path firebaseKey;
    private String restUrl;
    private String mqttUri;
    private CqlSession cql;
    private DeviceStore deviceStore;

    private PushTestStack(Path dir) {
        this.dir = dir;
        this.redisClient = RedisClient.create("redis://" + redisEndpoint);
        this.redis = redisClient.connect();
    }

    static PushTestStack start(Path dir) {
        PushTestStack stack = new PushTestStack(dir);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path extension = ParleyUp.HOME.resolve("broker-extensions/target/parley-extension");
        requireBuilt(extension.resolve("hivemq-extension.xml"), "the packaged broker extension");
        secret = TokenSecret.write(dir.resolve("secrets/token-secret"));
        firebaseKey = fcm.writeServiceAccountKey(dir.resolve("secrets/firebase-service-account.json"));

        int restPort = Ports.free();
        services.add(quarkus("persistence-service", restPort, List.of(
                "-Dparley.cassandra.contact-points=" + cassandra,
                "-Dparley.cassandra.keyspace=" + keyspace,
                "-Dparley.cassandra.replication=SimpleStrategy:1",
                "-Dparley.auth.token-secret-file=" + secret,
                "-Dparley.redis.uri=redis://" + redisEndpoint)));
        restUrl = "http://" + HOST + ":" + restPort;

        int mqttPort = Ports.free();
        int healthPort = Ports.free();
        Path brokerHome = dir.resolve("broker");
        try {
            Files.createDirectories(brokerHome.resolve("conf"));
            Files.createDirectories(brokerHome.resolve("data"));
            Files.writeString(brokerHome.resolve("conf/config.xml"), BrokerConfig.xml(HOST, mqttPort, Ports.free(), true));
            Path target = brokerHome.resolve("extensions/parley-extension");
            Folders.copyFresh(extension, target);
            Files.writeString(target.resolve("conf/parley.properties"), String.join("\n",
                    "cassandra.contact-points=" + cassandra,
                    "cassandra.local-datacenter=datacenter1",
                    "cassandra.keyspace=" + keyspace,
                    "redis.uri=redis://" + redisEndpoint,
                    "health.bind=" + HOST,
                    "health.port=" + healthPort,
                    "node.id=push-e2e-node",
                    "auth.token-secret-file=" + secret,
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcess broker = ChildProcess.start("broker", List.of(JavaRuntimes.current(),
                "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                BrokerMain.class.getName(), brokerHome.toString()), dir.resolve("logs/broker.log"), Map.of());
        services.add(broker);
        URI brokerReady = URI.create("http://" + HOST + ":" + healthPort + "/health/ready");
        JavaService.awaitReady(broker, () -> Ports.accepts(HOST, mqttPort) && JavaService.isReady(brokerReady),
                "accepting MQTT on " + mqttPort + " and ready at " + brokerReady, START_TIMEOUT);
        mqttUri = "tcp://" + HOST + ":" + mqttPort;

        services.add(quarkus("presence-bridge", Ports.free(), List.of(
                "-Dparley.redis.uri=redis://" + redisEndpoint,
                "-Dparley.cassandra.contact-points=" + cassandra,
                "-Dparley.cassandra.keyspace=" + keyspace,
                "-Dparley.cassandra.request-timeout=30s",
                "-Dparley.presence.mqtt-uri=" + mqttUri,
                "-Dparley.presence.token-secret-file=" + secret)));
    }

    String restUrl() {
        return restUrl;
    }

    String mqttUri() {
        return mqttUri;
    }

    String jobsStream() {
        return PushChannels.jobsStream(keyspace);
    }

    /**
     * Starts a push-service process on this stack, sending to {@link #fcm}, with the given settings on top
     * of the production defaults (e.g. {@code parley.push.jobs.claim-idle=5s}), and waits until it is ready.
     */
    PushService startPushService(Map<String, String> settings) {
        return startPushService(settings, true);
    }

    /**
     * Starts a push-service process as the dev stack runs it: no Firebase credentials (and no endpoint),
     * so it runs in log-only mode and never reaches {@link #fcm}.
     */
    PushService startPushServiceWithoutCredentials() {
        return startPushService(Map.of(), false);
    }

    private PushService startPushService(Map<String, String> settings, boolean withCredentials) {
        int port = Ports.free();
        List<String> properties = new ArrayList<>(List.of(
                "-Dparley.redis.uri=redis://" + redisEndpoint,
                "-Dparley.cassandra.contact-points=" + cassandra,
                "-Dparley.cassandra.keyspace=" + keyspace));
        if (withCredentials) {
            properties.add("-Dparley.push.firebase.credentials-file=" + firebaseKey);
            properties.add("-Dparley.push.firebase.endpoint=" + fcm.endpoint());
        }
        settings.forEach((key, value) -> properties.add("-D" + key + "=" + value));
        ChildProcess process = quarkus("push-service-" + pushInstances.incrementAndGet(), port, properties);
        return new PushService(process, URI.create("http://" + HOST + ":" + port + "/q/metrics"));
    }

    /** A running push-service process and its Prometheus metrics. */
    record PushService(ChildProcess process, URI metrics) implements AutoCloseable {

        private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

        /**
         * The sum of a metric's samples whose labels contain {@code labels} (e.g. outcome="done").
         *
         * @throws AssertionError when push-service exposes no such sample at all: a renamed or missing
         *                        metric must fail the test, not read as 0
         */
        double counter(String name, String labels) {
            try {
                String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double sum = 0;
                boolean found = false;
                Matcher m = SAMPLE.matcher(text);
                while (m.find()) {
                    if (m.group(1).equals(name) && (labels.isEmpty() || (m.group(2) != null && m.group(2).contains(labels)))) {
                        sum += Double.parseDouble(m.group(3));
                        found = true;
                    }
                }
                if (!found) {
                    throw new AssertionError("push-service exposes no metric " + name
                            + (labels.isEmpty() ? "" : "{" + labels + "}") + " at " + metrics);
                }
                return sum;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** What the process has written to its console so far (its log). */
        String log() {
            try {
                return Files.readString(process.logFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** kill -9: no shutdown hook, no acknowledgement, connections dropped where they were. */
        void kill() {
            process.kill();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.stop(Duration.ofSeconds(20));
            }
        }
    }

    /**
     * The user's device rows as Cassandra holds them (read through the store's {@link DeviceStore}, as
     * persistence-service and push-service read them).
     */
    synchronized List<DeviceRecord> devices(UUID userId) {
        if (cql == null) {
            cql = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                    "push-e2e-check").toCompletableFuture().join();
            deviceStore = new DeviceStore(cql, keyspace);
        }
        return deviceStore.devicesOf(userId).toCompletableFuture().join();
    }

    /** The dead-letter stream push-service writes given-up notifications to (README, Push notifications). */
    String deadLetterStream() {
        return "parley:" + keyspace + ":push-dead";
    }

    List<StreamMessage<String, String>> deadLetters() {
        return redis.sync().xrange(deadLetterStream(), Range.create("-", "+"));
    }

    /** Jobs read by push-service but not acknowledged yet. */
    long pendingJobs() {
        return redis.sync().xpending(jobsStream(), PushChannels.PUSH_SERVICE_GROUP).getCount();
    }

    /** Every job on the stream was read by the group and acknowledged. */
    boolean allJobsAcknowledged() {
        String last = lastEntryId();
        return !last.isEmpty() && pendingJobs() == 0 && groupLastDelivered().equals(last);
    }

    private String lastEntryId() {
        List<StreamMessage<String, String>> entries = redis.sync().xrevrange(jobsStream(), Range.create("-", "+"),
                Limit.from(1));
        return entries.isEmpty() ? "" : entries.get(0).getId();
    }

    private String groupLastDelivered() {
        for (Object group : redis.sync().xinfoGroups(jobsStream())) {
            List<?> fields = (List<?>) group;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("name".equals(fields.get(i)) && !PushChannels.PUSH_SERVICE_GROUP.equals(fields.get(i + 1))) {
                    break;
                }
                if ("last-delivered-id".equals(fields.get(i))) {
                    return String.valueOf(fields.get(i + 1));
                }
            }
        }
        return "";
    }

    private ChildProcess quarkus(String name, int port, List<String> properties) {
        String module = name.startsWith("push-service") ? "push-service" : name;
        Path jar = ParleyUp.HOME.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar, module);
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + port));
        jvm.addAll(properties);
        return JavaService.start(name, jvm, List.of("-jar", jar.toString()), dir.resolve("logs/" + name + ".log"),
                URI.create("http://" + HOST + ":" + port + "/q/health/ready"), START_TIMEOUT);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(20));
        }
        fcm.close();
        if (cql != null) {
            cql.close();
        }
        try {
            redis.sync().del(jobsStream(), deadLetterStream());
        } catch (RuntimeException e) {
            // best effort: the stream's name is unique to this run
        }
        redis.close();
        redisClient.shutdown();
        try (CqlSession session = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(),
                keyspace), "push-e2e-cleanup").toCompletableFuture().join()) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            // best effort: a keyspace left behind on the shared test node is harmless (names are unique)
        }
    }

    /** Fails early, naming the build step, when an artifact the stack runs is missing. */
    private static void requireBuilt(Path file, String what) {
        if (!Files.exists(file)) {
            throw new DevStackException(what + " is not built (" + file + " is missing): build with "
                    + "`mvn -pl system-tests -am verify ...` (a reactor build packages every module first)");
        }
    }
}
