package dev.parley.presence.testing;

import static org.awaitility.Awaitility.await;

import dev.parley.devstack.BrokerConfig;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.Folders;
import dev.parley.devstack.JavaRuntimes;
import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real broker for the bridge's tests: stock HiveMQ CE in its own JVM loading the packaged Parley
 * extension folder, as {@code ./parley up} runs it (same launcher classpath), on a given keyspace of the
 * test Cassandra and the test Redis.
 */
public final class BrokerNode implements AutoCloseable {

    private static final Path EXTENSION = Path.of(System.getProperty("parley.extension.folder",
            "../broker-extensions/target/parley-extension"));
    private static final Path DEVSTACK = Path.of(System.getProperty("parley.devstack.folder", "../devstack/target"));

    private final int mqttPort;
    private final ChildProcess process;

    private BrokerNode(int mqttPort, ChildProcess process) {
        this.mqttPort = mqttPort;
        this.process = process;
    }

    public static BrokerNode start(Path root, String keyspace, String tokenSecret) {
        return start(root, keyspace, tokenSecret, TestDependencies.redis());
    }

    /** With a Redis of the test's own (one it may flush or stop). */
    public static BrokerNode start(Path root, String keyspace, String tokenSecret, dev.parley.devstack.Endpoint redis) {
        int mqttPort = Ports.free();
        int healthPort = Ports.free();
        try {
            Files.createDirectories(root.resolve("conf"));
            Files.createDirectories(root.resolve("data"));
            Files.writeString(root.resolve("conf/config.xml"), BrokerConfig.xml("127.0.0.1", mqttPort, Ports.free(), true));
            Path extension = root.resolve("extensions/parley-extension");
            if (!Files.isRegularFile(EXTENSION.resolve("hivemq-extension.xml"))) {
                throw new IllegalStateException("no packaged extension at " + EXTENSION.toAbsolutePath()
                        + ": build broker-extensions first (mvn -pl presence-bridge -am verify does)");
            }
            Folders.copyFresh(EXTENSION, extension);
            Files.writeString(extension.resolve("conf/parley.properties"), String.join("\n",
                    "auth.token-secret=" + tokenSecret,
                    "cassandra.contact-points=" + TestDependencies.cassandra(),
                    "cassandra.keyspace=" + keyspace,
                    "redis.uri=redis://" + redis,
                    "health.port=" + healthPort, ""));
            String classpath = DEVSTACK.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
                    + Files.readString(DEVSTACK.resolve("launcher.classpath")).strip();
            ChildProcess process = ChildProcess.start("broker", List.of(JavaRuntimes.current(), "-Xmx384m", "-cp",
                    classpath, "dev.parley.devstack.BrokerMain", root.toString()), root.resolve("broker.log"), Map.of());
            HttpClient http = HttpClient.newHttpClient();
            await("broker ready on port " + mqttPort).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("broker exited:\n" + process.logTail(40));
                        }
                        return Ports.accepts("127.0.0.1", mqttPort) && ready(http, healthPort);
                    });
            return new BrokerNode(mqttPort, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ready(HttpClient http, int healthPort) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int mqttPort() {
        return mqttPort;
    }

    public String tcpUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
