package dev.parley.benchmark.stack;

import dev.parley.devstack.BrokerConfig;
import dev.parley.devstack.BrokerMain;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.JavaRuntimes;
import dev.parley.devstack.JavaService;
import dev.parley.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A HiveMQ CE 2025.5 node in its own JVM (devstack's {@link BrokerMain}), started the same way for both
 * targets — same JVM flags, heap, config.xml (BrokerConfig, in-memory persistence) and classpath — so
 * that the only difference between plain and Parley is the extension folder's content.
 */
final class BrokerJvm {

    /** The broker heap of both targets. */
    static final String HEAP = "-Xmx768m";
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ChildProcess process;
    private final int mqttPort;

    private BrokerJvm(ChildProcess process, int mqttPort) {
        this.process = process;
        this.mqttPort = mqttPort;
    }

    /** Writes {@code home/conf}, leaves {@code home/extensions} to the caller (empty for plain). */
    static Path prepareHome(Path home, int mqttPort) {
        try {
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            Files.writeString(home.resolve("conf/config.xml"), BrokerConfig.xml(HOST, mqttPort, Ports.free(), true));
            Files.writeString(home.resolve("conf/logback.xml"), """
                    <configuration>
                      <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="CONSOLE"/></root>
                      <logger name="dev.parley" level="INFO"/>
                      <logger name="com.hivemq.extensions" level="INFO"/>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    /**
     * Starts the node and waits until MQTT accepts connections and, when given, the readiness URL says 200
     * (Parley's extension reports Cassandra and Redis there).
     */
    static BrokerJvm start(String name, Path home, int mqttPort, URI readyUrl, Pinning pinning) {
        // G1 named explicitly: pinned to one CPU the JVM would pick the serial collector by itself (and
        // whether it sees one CPU depends on how fast taskset runs after the start).
        List<String> command = List.of(JavaRuntimes.current(), HEAP, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(), home.toString());
        ChildProcess process = ChildProcess.start(name, command, home.resolve("broker.log"), Map.of());
        pinning.pinServer(process.pid());
        JavaService.awaitReady(process, () -> Ports.accepts(HOST, mqttPort)
                        && (readyUrl == null || JavaService.isReady(readyUrl)),
                "accepting MQTT on " + mqttPort + (readyUrl == null ? "" : " and ready at " + readyUrl), START_TIMEOUT);
        // Again once running: threads a not-yet-pinned thread started during startup are caught too.
        pinning.pinServer(process.pid());
        return new BrokerJvm(process, mqttPort);
    }

    long pid() {
        return process.pid();
    }

    int mqttPort() {
        return mqttPort;
    }

    void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
