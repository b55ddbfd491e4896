package dev.parley.devstack.testing;

import dev.parley.devstack.CassandraNode;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.Folders;
import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * The real Cassandra and Redis a test run shares.
 *
 * <p>{@code ./parley test} starts one Cassandra node and one Redis for the whole Maven run and passes
 * them in {@value #CASSANDRA_ENV} and {@value #REDIS_ENV} ({@code host:port}). A module's tests run
 * on their own ({@code mvn -pl store verify}) start their own instead, once per test JVM, and stop them
 * when the JVM exits. Tests isolate themselves with {@link #uniqueKeyspace(String)}, not with
 * separate nodes.
 */
public final class TestDependencies {

    public static final String CASSANDRA_ENV = "PARLEY_TEST_CASSANDRA";
    public static final String REDIS_ENV = "PARLEY_TEST_REDIS";

    private static Endpoint cassandra;
    private static Endpoint redis;

    private TestDependencies() {
    }

    public static synchronized Endpoint cassandra() {
        if (cassandra == null) {
            cassandra = fromEnv(CASSANDRA_ENV);
            if (cassandra == null) {
                Path dir = tempDir("parley-test-cassandra");
                CassandraNode node = CassandraNode.start(new CassandraNode.Settings(dir, "127.0.0.1",
                        Ports.free(), Ports.free(), CassandraNode.TEST_HEAP_MB), Duration.ofSeconds(120));
                onExit(node, dir);
                cassandra = node.cql();
            }
        }
        return cassandra;
    }

    public static synchronized Endpoint redis() {
        if (redis == null) {
            redis = fromEnv(REDIS_ENV);
            if (redis == null) {
                Path dir = tempDir("parley-test-redis");
                RedisNode node = RedisNode.start(new RedisNode.Settings(dir, "127.0.0.1", Ports.free(), false),
                        Duration.ofSeconds(20));
                onExit(node, dir);
                redis = node.endpoint();
            }
        }
        return redis;
    }

    /** A fresh keyspace name, so that test classes sharing one node never see each other's rows. */
    public static String uniqueKeyspace(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        clean = clean.substring(0, Math.min(clean.length(), 20));
        return "t_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static Endpoint fromEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        return new Endpoint(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void onExit(AutoCloseable node, Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception ignored) {
                // the JVM is exiting; the directory below is removed either way
            }
            try {
                Folders.deleteRecursively(dir);
            } catch (IOException ignored) {
                // best effort: a temp directory left behind is harmless
            }
        }, "stop-" + dir.getFileName()));
    }
}
