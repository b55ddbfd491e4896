package dev.parley.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The whole Parley stack on this machine: Cassandra, Redis, persistence-service (which migrates the
 * schema), HiveMQ CE with the packaged Parley extension, presence-bridge and push-service, each its own
 * process, data kept under one folder across restarts.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String HOST = "127.0.0.1";

    private final Path home;
    private final Path dataDir;
    private final StackPorts ports;
    private final List<ChildProcess> started = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<String> progress;
    private final long startNanos = System.nanoTime();

    /**
     * @param home    the Parley checkout, where the built artifacts are
     * @param dataDir where every process keeps its data and logs
     */
    public LocalStack(Path home, Path dataDir, StackPorts ports, Consumer<String> progress) {
        this.home = home.toAbsolutePath();
        this.dataDir = dataDir.toAbsolutePath();
        this.ports = ports;
        this.progress = progress;
    }

    /** Starts everything and returns the endpoints; on any failure stops what it started and throws. */
    public Map<String, String> start() {
        checkPrerequisites();
        ensureTokenSecret();
        try {
            CompletableFuture<Void> cassandra = CompletableFuture.runAsync(this::startCassandra);
            CompletableFuture<Void> redis = CompletableFuture.runAsync(this::startRedis);
            // persistence-service announces group changes through Redis, so it needs both stores.
            CompletableFuture<Void> persistence = CompletableFuture.allOf(cassandra, redis)
                    .thenRun(this::startPersistenceService);
            CompletableFuture<Void> broker = CompletableFuture.allOf(persistence, redis).thenRun(this::startBroker);
            // The bridge connects to the broker as a service with a token it mints from the shared secret; it
            // needs no running broker to start (it reconnects until the broker is there). It persists last seen
            // in the schema persistence-service migrates, so it starts after it.
            CompletableFuture<Void> presence = CompletableFuture.allOf(persistence, redis).thenRun(() -> startQuarkus(
                    "presence-bridge", ports.presence(), List.of("-Dparley.redis.uri=" + redisUri(),
                            "-Dparley.cassandra.contact-points=" + HOST + ":" + ports.cassandra(),
                            "-Dparley.cassandra.keyspace=parley",
                            "-Dparley.presence.mqtt-uri=tcp://" + HOST + ":" + ports.mqtt(),
                            "-Dparley.presence.token-secret-file=" + tokenSecretFile())));
            // push-service reads the schema persistence-service migrates (device tokens, names, watermarks).
            CompletableFuture<Void> push = CompletableFuture.allOf(persistence, redis).thenRun(() -> startQuarkus(
                    "push-service", ports.push(), List.of("-Dparley.redis.uri=" + redisUri(),
                            "-Dparley.cassandra.contact-points=" + HOST + ":" + ports.cassandra(),
                            "-Dparley.cassandra.keyspace=parley")));
            CompletableFuture.allOf(broker, presence, push).join();
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Map<String, String> endpoints = endpoints();
        writeRunFile(endpoints);
        return endpoints;
    }

    public Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("mqtt.tcp", "tcp://" + HOST + ":" + ports.mqtt());
        e.put("mqtt.websocket", "ws://" + HOST + ":" + ports.websocket() + "/mqtt");
        e.put("rest", "http://" + HOST + ":" + ports.rest());
        // The browser chat is served by persistence-service; it assumes the broker's WebSocket on port 8000
        // of its own host unless told otherwise.
        e.put("web", "http://" + HOST + ":" + ports.rest() + "/"
                + (ports.websocket() == 8000 ? "" : "?broker=" + e.get("mqtt.websocket")));
        e.put("rest.openapi", "http://" + HOST + ":" + ports.rest() + "/q/openapi");
        e.put("health.persistence-service", "http://" + HOST + ":" + ports.rest() + "/q/health/ready");
        e.put("health.broker", "http://" + HOST + ":" + ports.brokerHealth() + "/health/ready");
        e.put("health.presence-bridge", "http://" + HOST + ":" + ports.presence() + "/q/health/ready");
        e.put("health.push-service", "http://" + HOST + ":" + ports.push() + "/q/health/ready");
        e.put("cassandra", HOST + ":" + ports.cassandra());
        e.put("redis", "redis://" + HOST + ":" + ports.redis());
        return e;
    }

    /** The processes, in start order, with their pids (tests check none outlives the stack). */
    public List<ChildProcess> processes() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    @Override
    public void close() {
        List<ChildProcess> reverse;
        synchronized (started) {
            reverse = new ArrayList<>(started);
        }
        Collections.reverse(reverse);
        for (ChildProcess process : reverse) {
            process.stop(Duration.ofSeconds(30));
        }
        // A child still starting when Ctrl-C came is not in the list yet: no process may outlive the stack.
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        ProcessHandle.current().descendants().forEach(p -> p.onExit().completeOnTimeout(p, 20,
                java.util.concurrent.TimeUnit.SECONDS).join());
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(dataDir.resolve("run/stack.properties"));
        } catch (IOException ignored) {
            // the file only describes a running stack; a stale one is overwritten by the next start
        }
    }

    private void checkPrerequisites() {
        JavaService.requireFile(quarkusJar("persistence-service"), "persistence-service");
        JavaService.requireFile(quarkusJar("presence-bridge"), "presence-bridge");
        JavaService.requireFile(quarkusJar("push-service"), "push-service");
        JavaService.requireFile(packagedExtension().resolve("hivemq-extension.xml"), "the broker extension");
        JavaRuntimes.java17();
        ports.byOption().forEach((option, port) ->
                Ports.requireFree(HOST, port, StackPorts.describe(option), option));
    }

    private void startCassandra() {
        CassandraNode node = CassandraNode.start(new CassandraNode.Settings(dataDir.resolve("cassandra"), HOST,
                ports.cassandra(), ports.cassandraStorage(), 512), START_TIMEOUT);
        ready(node.process());
    }

    private void startRedis() {
        RedisNode node = RedisNode.start(new RedisNode.Settings(dataDir.resolve("redis"), HOST, ports.redis(), true),
                Duration.ofSeconds(20));
        ready(node.process());
    }

    private void startPersistenceService() {
        startQuarkus("persistence-service", ports.rest(), List.of(
                "-Dparley.cassandra.contact-points=" + HOST + ":" + ports.cassandra(),
                "-Dparley.cassandra.keyspace=parley",
                "-Dparley.cassandra.replication=SimpleStrategy:1",
                "-Dparley.auth.token-secret-file=" + tokenSecretFile(),
                "-Dparley.redis.uri=" + redisUri()));
    }

    private void startQuarkus(String name, int port, List<String> properties) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + port));
        jvm.addAll(properties);
        ready(JavaService.start(name, jvm, List.of("-jar", quarkusJar(name).toString()),
                logFile(name), URI.create("http://" + HOST + ":" + port + "/q/health/ready"), START_TIMEOUT));
    }

    private void startBroker() {
        Path brokerHome = dataDir.resolve("broker");
        Path extension = brokerHome.resolve("extensions/parley-extension");
        try {
            Files.createDirectories(brokerHome.resolve("conf"));
            Files.createDirectories(brokerHome.resolve("data"));
            Files.writeString(brokerHome.resolve("conf/config.xml"),
                    BrokerConfig.xml(HOST, ports.mqtt(), ports.websocket(), false));
            Files.writeString(brokerHome.resolve("conf/logback.xml"), brokerLogback());
            Folders.copyFresh(packagedExtension(), extension);
            Files.writeString(extension.resolve("conf/parley.properties"), extensionConfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ready(JavaService.start("broker",
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(), brokerHome.toString()),
                logFile("broker"),
                URI.create("http://" + HOST + ":" + ports.brokerHealth() + "/health/ready"), START_TIMEOUT));
    }

    private void ready(ChildProcess process) {
        started.add(process);
        progress.accept(String.format("  %-20s ready after %4.1f s (pid %d, log %s)", process.name(),
                (System.nanoTime() - startNanos) / 1e9, process.pid(), process.logFile()));
    }

    private String extensionConfig() {
        return String.join("\n",
                "# Written by ./parley up for the local stack; see the shipped file for every key.",
                "cassandra.contact-points=" + HOST + ":" + ports.cassandra(),
                "cassandra.local-datacenter=datacenter1",
                "cassandra.keyspace=parley",
                "redis.uri=" + redisUri(),
                "health.bind=" + HOST,
                "health.port=" + ports.brokerHealth(),
                "node.id=dev-node-1",
                "auth.token-secret-file=" + tokenSecretFile(),
                "");
    }

    /**
     * The access token secret the broker and persistence-service share: 48 random bytes, base64, made on
     * the first start of a data folder and kept (tokens issued before a restart stay valid), readable by
     * this user only.
     */
    public Path tokenSecretFile() {
        return dataDir.resolve("secrets/token-secret");
    }

    private void ensureTokenSecret() {
        Path file = tokenSecretFile();
        if (Files.exists(file)) {
            return;
        }
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path created = Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(created, Base64.getEncoder().encodeToString(random));
        } catch (FileAlreadyExistsException e) {
            // another launcher made it first: use theirs
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the token secret " + file, e);
        }
    }

    private static String brokerLogback() {
        return """
                <configuration>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
                  <logger name="jetbrains.exodus" level="WARN"/>
                  <logger name="com.datastax.oss.driver" level="WARN"/>
                </configuration>
                """;
    }

    private String redisUri() {
        return "redis://" + HOST + ":" + ports.redis();
    }

    private Path quarkusJar(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Path packagedExtension() {
        return home.resolve("broker-extensions/target/parley-extension");
    }

    private Path logFile(String name) {
        return dataDir.resolve("logs").resolve(name + ".log");
    }

    private void writeRunFile(Map<String, String> endpoints) {
        StringBuilder text = new StringBuilder("# The running local stack (removed when it stops).\n");
        text.append("pid.launcher=").append(ProcessHandle.current().pid()).append('\n');
        for (ChildProcess p : processes()) {
            text.append("pid.").append(p.name()).append('=').append(p.pid()).append('\n');
        }
        endpoints.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(dataDir.resolve("run"));
            Files.writeString(dataDir.resolve("run/stack.properties"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
