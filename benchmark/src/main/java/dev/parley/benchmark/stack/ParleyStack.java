package dev.parley.benchmark.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.CassandraNode;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.DevStackException;
import dev.parley.devstack.Folders;
import dev.parley.devstack.JavaService;
import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import dev.parley.devstack.TokenSecret;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Parley stack as an operator runs it, on free loopback ports: a Cassandra node (512 MiB heap, as
 * `./parley up`), Redis, the schema migrated, and a HiveMQ CE JVM loading the packaged extension folder
 * ({@code broker-extensions/target/parley-extension}). persistence-service starts only when a workload
 * needs REST (login).
 */
public final class ParleyStack implements Target {

    private static final String KEYSPACE = "parley";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final Path workDir;
    private final Pinning pinning;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, Long> processes = new LinkedHashMap<>();
    private CassandraNode cassandra;
    private RedisNode redis;
    private CqlSession session;
    private BrokerJvm broker;
    private AccessTokens tokens;
    private Path secretFile;
    private String restUrl;

    private ParleyStack(Path home, Path workDir, Pinning pinning) {
        this.home = home;
        this.workDir = workDir;
        this.pinning = pinning;
    }

    /** @param home the Parley checkout, where the packaged extension and persistence-service are */
    public static ParleyStack start(Path home, Path workDir, Pinning pinning) {
        ParleyStack stack = new ParleyStack(home.toAbsolutePath(), workDir.resolve("parley"), pinning);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path extension = home.resolve("broker-extensions/target/parley-extension");
        if (!Files.exists(extension.resolve("hivemq-extension.xml"))) {
            throw new DevStackException("the broker extension is not packaged (" + extension + " is missing): "
                    + "run `mvn -pl broker-extensions -am package -DskipTests` (./parley bench does)");
        }
        secretFile = TokenSecret.write(workDir.resolve("secrets/token-secret"));
        cassandra = CassandraNode.start(new CassandraNode.Settings(workDir.resolve("cassandra"), BrokerJvm.HOST,
                Ports.free(), Ports.free(), 512), START_TIMEOUT);
        started.add(cassandra);
        pinning.pinStore(cassandra.process().pid());
        processes.put("cassandra", cassandra.process().pid());
        redis = RedisNode.start(new RedisNode.Settings(workDir.resolve("redis"), BrokerJvm.HOST, Ports.free(), false),
                Duration.ofSeconds(20));
        started.add(redis);
        track("redis", redis.process());
        session = CassandraSessions.open(CassandraSettings.local(BrokerJvm.HOST, cassandra.cql().port(), KEYSPACE),
                "parley-benchmark").toCompletableFuture().join();
        started.add(session);
        // What persistence-service does at its start; done here so the broker workloads need no REST service.
        new SchemaMigrator(session, KEYSPACE, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(60));

        int mqttPort = Ports.free();
        int healthPort = Ports.free();
        Path brokerHome = BrokerJvm.prepareHome(workDir.resolve("broker"), mqttPort);
        try {
            Path target = brokerHome.resolve("extensions/parley-extension");
            Folders.copyFresh(extension, target);
            Files.writeString(target.resolve("conf/parley.properties"), String.join("\n",
                    "# Written by the benchmark for its own stack.",
                    "cassandra.contact-points=" + cassandra.cql(),
                    "cassandra.local-datacenter=datacenter1",
                    "cassandra.keyspace=" + KEYSPACE,
                    "redis.uri=redis://" + redis.endpoint(),
                    "health.bind=" + BrokerJvm.HOST,
                    "health.port=" + healthPort,
                    "node.id=bench-node-1",
                    "auth.token-secret-file=" + secretFile,
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = BrokerJvm.start("parley-broker", brokerHome, mqttPort,
                URI.create("http://" + BrokerJvm.HOST + ":" + healthPort + "/health/ready"), pinning);
        started.add(broker::stop);
        processes.put("broker", broker.pid());
    }

    /** Starts persistence-service (login, REST) once and returns its base URL. */
    public synchronized String restUrl() {
        if (restUrl == null) {
            Path jar = home.resolve("persistence-service/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new DevStackException("persistence-service is not built (" + jar + " is missing): run "
                        + "`mvn -pl persistence-service -am package -DskipTests` (./parley bench does)");
            }
            int port = Ports.free();
            ChildProcess service = JavaService.start("persistence-service", List.of("-Xmx256m",
                            "-XX:+ExitOnOutOfMemoryError", "-Dquarkus.http.host=" + BrokerJvm.HOST,
                            "-Dquarkus.http.port=" + port,
                            "-Dparley.cassandra.contact-points=" + cassandra.cql(),
                            "-Dparley.cassandra.keyspace=" + KEYSPACE,
                            "-Dparley.cassandra.replication=SimpleStrategy:1",
                            // it announces group changes and raises roster versions there (GroupChannels)
                            "-Dparley.redis.uri=redis://" + redis.endpoint(),
                            "-Dparley.auth.token-secret-file=" + secretFile),
                    List.of("-jar", jar.toString()), workDir.resolve("logs/persistence-service.log"),
                    URI.create("http://" + BrokerJvm.HOST + ":" + port + "/q/health/ready"), START_TIMEOUT);
            started.add(service);
            track("persistence-service", service);
            restUrl = "http://" + BrokerJvm.HOST + ":" + port;
        }
        return restUrl;
    }

    @Override
    public String name() {
        return "parley";
    }

    @Override
    public String host() {
        return BrokerJvm.HOST;
    }

    @Override
    public int mqttPort() {
        return broker.mqttPort();
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public synchronized String password(ClientIdentity device) {
        if (tokens == null) {
            try {
                tokens = new AccessTokens(Files.readString(secretFile).strip(), Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // As persistence-service issues it at login (POST /v1/tokens), signed with the stack's secret.
        return tokens.issue(device, Duration.ofHours(2));
    }

    /** Users as registration leaves them in the store (recipients must exist); 128 inserts in flight. */
    @Override
    public void createUsers(List<UUID> users) {
        UserStore store = new UserStore(session, KEYSPACE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int from = 0; from < users.size(); from += 128) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (UUID id : users.subList(from, Math.min(users.size(), from + 128))) {
                batch.add(store.insert(new UserRecord(id, "bench-" + id, "Bench " + id.toString().substring(0, 8),
                        null, null, null, now)).toCompletableFuture());
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    /** Groups as persistence-service creates them; the broker then stores each one's creation message. */
    @Override
    public List<UUID> createGroups(List<List<UUID>> rosters) {
        try (GroupSetup setup = new GroupSetup(session, KEYSPACE, redis.endpoint())) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < rosters.size(); i++) {
                ids.add(setup.create("bench group " + (i + 1), rosters.get(i)));
            }
            return ids;
        }
    }

    @Override
    public Map<String, Long> processes() {
        return Map.copyOf(processes);
    }

    @Override
    public long brokerPid() {
        return broker.pid();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception ignored) {
                // stopping everything else matters more than one failed stop
            }
        }
        started.clear();
    }

    private void track(String name, ChildProcess process) {
        pinning.pinServer(process.pid());
        processes.put(name, process.pid());
    }

}
