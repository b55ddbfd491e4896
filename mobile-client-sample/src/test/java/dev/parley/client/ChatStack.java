package dev.parley.client;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.client.session.AccountsApi;
import dev.parley.client.session.Credentials;
import dev.parley.devstack.BrokerConfig;
import dev.parley.devstack.BrokerMain;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.Folders;
import dev.parley.devstack.JavaService;
import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server side a phone talks to, for this module's tests: persistence-service (REST: register, login),
 * a HiveMQ CE broker loading the packaged Parley extension and presence-bridge, each in its own JVM as an
 * operator runs them, on the test run's shared Cassandra and Redis (in a keyspace of their own). Started once per test
 * JVM, because starting it costs tens of seconds; stopped when the JVM exits.
 *
 * <p>Needs the reactor to have packaged persistence-service and broker-extensions (mvn verify builds
 * modules in order; on its own: {@code mvn -pl persistence-service,broker-extensions,devstack,presence-bridge -am package -DskipTests}).
 */
final class ChatStack {

    static final Path HOME = Path.of(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static ChatStack shared;

    private final Path root;
    private final String keyspace;
    private final Path tokenSecret;
    private final int restPort = Ports.free();
    private final int mqttPort = Ports.free();
    private ChildProcess persistence;
    private ChildProcess broker;
    private ChildProcess presenceBridge;

    private ChatStack(Path root) {
        this.root = root;
        this.keyspace = TestDependencies.uniqueKeyspace("client");
        this.tokenSecret = root.resolve("token-secret");
    }

    static synchronized ChatStack shared() {
        if (shared == null) {
            ChatStack stack;
            try {
                stack = new ChatStack(Files.createTempDirectory("parley-client-stack"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stack.start(); // a failed start cleans up and throws; the next test class tries again
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "stop-chat-stack"));
            shared = stack;
        }
        return shared;
    }

    URI rest() {
        return URI.create("http://" + HOST + ":" + restPort);
    }

    URI mqtt() {
        return URI.create("tcp://" + HOST + ":" + mqttPort);
    }

    Endpoint mqttEndpoint() {
        return new Endpoint(HOST, mqttPort);
    }

    String keyspace() {
        return keyspace;
    }

    String tokenSecret() {
        try {
            return Files.readString(tokenSecret).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AccountsApi accounts() {
        return new AccountsApi(rest());
    }

    /** A new user (through REST) logged in on {@code deviceId}. */
    Credentials newUser(String name, String deviceId) {
        String handle = (name + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        accounts().register(handle, name, password(handle));
        return accounts().login(handle, password(handle), deviceId);
    }

    static String password(String handle) {
        return "secret-of-" + handle;
    }

    /** A session to the stack's keyspace (to drop it at the end). */
    CqlSession cql() {
        Endpoint cassandra = TestDependencies.cassandra();
        try {
            return CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                    "client-test").toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the test Cassandra at " + cassandra, e);
        }
    }

    private void start() {
        try {
            Files.writeString(tokenSecret, UUID.randomUUID() + "-" + UUID.randomUUID());
            startPersistenceService();
            startBroker();
            startPresenceBridge();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** persistence-service first: it creates and migrates the keyspace the broker checks at startup. */
    private void startPersistenceService() {
        Path jar = HOME.resolve("persistence-service/target/quarkus-app/quarkus-run.jar");
        require(jar);
        persistence = JavaService.start("persistence-service", List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                        "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + restPort,
                        "-Dparley.cassandra.contact-points=" + TestDependencies.cassandra(),
                        "-Dparley.cassandra.keyspace=" + keyspace,
                        "-Dparley.cassandra.replication=SimpleStrategy:1",
                        // the test run's one Cassandra node is shared by every module's tests on a busy
                        // machine: schema preparation at startup may take longer than the default 5 s
                        "-Dparley.cassandra.request-timeout=30s", "-Dparley.cassandra.migration-lock-wait=120s",
                        "-Dparley.auth.token-secret-file=" + tokenSecret,
                        // group changes are announced to the broker through Redis
                        "-Dparley.redis.uri=redis://" + TestDependencies.redis(),
                        // registration in tests: cheap password hashes (never in production)
                        "-Dparley.auth.password-hash.memory-kib=1024", "-Dparley.auth.password-hash.iterations=1"),
                List.of("-jar", jar.toString()), root.resolve("logs/persistence-service.log"),
                URI.create(rest() + "/q/health/ready"), START_TIMEOUT);
    }

    private void startBroker() throws IOException {
        Path packaged = HOME.resolve("broker-extensions/target/parley-extension");
        require(packaged.resolve("hivemq-extension.xml"));
        Path classpathFile = HOME.resolve("devstack/target/launcher.classpath");
        require(classpathFile);
        Path home = root.resolve("broker");
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("conf/config.xml"), BrokerConfig.xml(HOST, mqttPort, Ports.free(), true));
        Path extension = home.resolve("extensions/parley-extension");
        Folders.copyFresh(packaged, extension);
        int healthPort = Ports.free();
        Files.writeString(extension.resolve("conf/parley.properties"), String.join("\n",
                "cassandra.contact-points=" + TestDependencies.cassandra(),
                "cassandra.local-datacenter=datacenter1",
                "cassandra.keyspace=" + keyspace,
                "cassandra.request-timeout-ms=15000", // a shared, busy test node (see persistence-service above)
                "redis.uri=redis://" + TestDependencies.redis(),
                "health.bind=" + HOST,
                "health.port=" + healthPort,
                "node.id=client-test-" + UUID.randomUUID().toString().substring(0, 8),
                "auth.token-secret-file=" + tokenSecret,
                ""));
        String classpath = HOME.resolve("devstack/target/classes") + ":" + Files.readString(classpathFile).strip();
        broker = JavaService.start("broker", List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("-cp", classpath, BrokerMain.class.getName(), home.toString()),
                root.resolve("logs/broker.log"), URI.create("http://" + HOST + ":" + healthPort + "/health/ready"),
                START_TIMEOUT);
    }

    /**
     * presence-bridge, as {@code ./parley up} runs it. Its readiness says Redis answers, not that its shared
     * subscription is in place, so the start waits until a device's announcement really comes back as the
     * user's retained presence.
     */
    private void startPresenceBridge() {
        Path jar = HOME.resolve("presence-bridge/target/quarkus-app/quarkus-run.jar");
        require(jar);
        int httpPort = Ports.free();
        presenceBridge = JavaService.start("presence-bridge", List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError",
                        "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + httpPort,
                        "-Dparley.redis.uri=redis://" + TestDependencies.redis(),
                        // last seen and privacy settings live in the stack's keyspace (migrated by persistence-service)
                        "-Dparley.cassandra.contact-points=" + TestDependencies.cassandra(),
                        "-Dparley.cassandra.keyspace=" + keyspace,
                        "-Dparley.cassandra.request-timeout=30s",
                        "-Dparley.presence.mqtt-uri=" + mqtt(),
                        "-Dparley.presence.instance=client-test-" + UUID.randomUUID().toString().substring(0, 8),
                        "-Dparley.presence.token-secret-file=" + tokenSecret),
                List.of("-jar", jar.toString()), root.resolve("logs/presence-bridge.log"),
                URI.create("http://" + HOST + ":" + httpPort + "/q/health/ready"), START_TIMEOUT);
        PresenceProbe.awaitFlowing(this, START_TIMEOUT);
    }

    /** Stops every service at once and drops the keyspace: a JVM exit should not wait for them in turn. */
    private void stop() {
        List<CompletableFuture<Void>> stopping = List.of(
                CompletableFuture.runAsync(() -> stopQuietly(presenceBridge)),
                CompletableFuture.runAsync(() -> stopQuietly(broker)),
                CompletableFuture.runAsync(() -> stopQuietly(persistence)));
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        // One Cassandra node serves the whole test run and every table costs it heap: clean up.
        try (CqlSession session = cql()) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(Duration.ofSeconds(30)));
        } catch (RuntimeException ignored) {
            // best effort at JVM exit
        }
        try {
            Folders.deleteRecursively(root);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    private static void stopQuietly(ChildProcess process) {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }

    private static void require(Path built) {
        if (!Files.exists(built)) {
            throw new IllegalStateException(built + " is missing: build it first with "
                    + "`mvn -pl persistence-service,broker-extensions,devstack,presence-bridge -am package -DskipTests`");
        }
    }
}
