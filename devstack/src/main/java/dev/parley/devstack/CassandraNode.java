package dev.parley.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Cassandra 5.0 node in a child JVM, run from the cassandra-all jars that the devstack build
 * resolved from Maven Central. Data stays in {@code dataDir}, so a restart finds what was written.
 */
public final class CassandraNode implements AutoCloseable {

    /** Cassandra's own JVM flags for Java 17 (conf/jvm17-server.options of its distribution). */
    private static final List<String> JAVA17_MODULE_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    /**
     * @param dataDir     where data, commit log and this node's log live
     * @param host        listen and CQL address (loopback)
     * @param nativePort  CQL port
     * @param storagePort inter-node port
     * @param heapMb      JVM heap; 512 keeps the node at ~0.7 GiB RSS
     */
    public record Settings(Path dataDir, String host, int nativePort, int storagePort, int heapMb) {
    }

    /**
     * Heap of the node a whole test run shares: every test class makes its own keyspace of ~10 tables,
     * and each table costs the node heap; 512 MiB filled up after a few hundred tables.
     */
    public static final int TEST_HEAP_MB = 1024;

    private final Settings settings;
    private final ChildProcess process;

    private CassandraNode(Settings settings, ChildProcess process) {
        this.settings = settings;
        this.process = process;
    }

    /** Starts the node and returns once it accepts CQL connections. */
    public static CassandraNode start(Settings settings, Duration timeout) {
        Ports.requireFree(settings.host(), settings.nativePort(), "Cassandra CQL", "--cassandra-port");
        Ports.requireFree(settings.host(), settings.storagePort(), "Cassandra storage", "--cassandra-storage-port");
        Path conf = settings.dataDir().resolve("conf");
        try {
            Files.createDirectories(conf);
            Files.writeString(conf.resolve("cassandra.yaml"), yaml(settings));
            Files.writeString(conf.resolve("logback.xml"), logback(settings.dataDir().resolve("logs")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<String> command = new ArrayList<>();
        // As root Cassandra mlockall()s its whole heap; dropping CAP_IPC_LOCK keeps its RSS near the heap.
        if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            command.addAll(List.of("/usr/bin/setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock"));
        }
        command.add(JavaRuntimes.java17());
        command.addAll(List.of("-Xms" + settings.heapMb() + "m", "-Xmx" + settings.heapMb() + "m",
                "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true"));
        command.addAll(JAVA17_MODULE_FLAGS);
        command.addAll(List.of(
                "-Dcassandra.config=" + conf.resolve("cassandra.yaml").toUri(),
                "-Dcassandra.storagedir=" + settings.dataDir(),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.logdir=" + settings.dataDir().resolve("logs"),
                "-Dlogback.configurationFile=" + conf.resolve("logback.xml"),
                "-cp", classpath(),
                "org.apache.cassandra.service.CassandraDaemon"));
        ChildProcess process = ChildProcess.start("cassandra", command,
                settings.dataDir().resolve("logs/stdout.log"), Map.of());
        CassandraNode node = new CassandraNode(settings, process);
        node.awaitCql(timeout);
        return node;
    }

    public Endpoint cql() {
        return new Endpoint(settings.host(), settings.nativePort());
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }

    private void awaitCql(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DevStackException("Cassandra exited during startup; its log (" + process.logFile()
                        + ") ends with:\n" + process.logTail(25));
            }
            if (Ports.accepts(settings.host(), settings.nativePort())) {
                return;
            }
            pause();
        }
        process.stop(Duration.ofSeconds(10));
        throw new DevStackException("Cassandra did not accept CQL on " + cql() + " within " + timeout.toSeconds()
                + " s; its log (" + process.logFile() + ") ends with:\n" + process.logTail(25));
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for a dependency to start", e);
        }
    }

    private static String classpath() {
        try (InputStream in = CassandraNode.class.getResourceAsStream("cassandra.classpath")) {
            if (in == null) {
                throw new DevStackException("cassandra.classpath is missing from the devstack jar: build it with "
                        + "`mvn -pl devstack -am install`");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String first = classpath.split(":", 2)[0];
            if (!Files.exists(Path.of(first))) {
                throw new DevStackException("the Cassandra jars are not in the local Maven repository (" + first
                        + " is missing): run `mvn -pl devstack -am install` to download them");
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yaml(Settings s) {
        Path d = s.dataDir();
        return String.join("\n",
                "cluster_name: parley-dev",
                "num_tokens: 1",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + s.host() + ":" + s.storagePort() + "\"",
                "listen_address: " + s.host(),
                "rpc_address: " + s.host(),
                "storage_port: " + s.storagePort(),
                "native_transport_port: " + s.nativePort(),
                "start_native_transport: true",
                "auto_bootstrap: false",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "data_file_directories:",
                "  - " + d.resolve("data"),
                "commitlog_directory: " + d.resolve("commitlog"),
                "saved_caches_directory: " + d.resolve("saved_caches"),
                "hints_directory: " + d.resolve("hints"),
                "cdc_raw_directory: " + d.resolve("cdc_raw"),
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "disk_access_mode: mmap_index_only",
                "concurrent_compactors: 1",
                "")
                ;
    }

    private static String logback(Path logDir) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s/system.log</file>
                    <encoder><pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{20} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                  <logger name="org.apache.cassandra" level="INFO"/>
                </configuration>
                """.formatted(logDir);
    }
}
