package dev.parley.broker.testing;

import static dev.parley.broker.config.ConfigReader.AUTH_TOKEN_SECRET;
import static dev.parley.broker.config.ConfigReader.AUTH_TOKEN_SECRET_FILE;
import static dev.parley.broker.config.ConfigReader.CASSANDRA_CONTACT_POINTS;
import static dev.parley.broker.config.ConfigReader.CASSANDRA_KEYSPACE;
import static dev.parley.broker.config.ConfigReader.HEALTH_PORT;
import static dev.parley.broker.config.ConfigReader.REDIS_URI;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.broker.config.ConfigReader;
import dev.parley.broker.config.ExtensionConfig;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shared test Cassandra and Redis, keyspaces on them, extension configurations for them, and the
 * access token secret every test broker is configured with.
 */
public final class TestStack {

    /** What persistence-service would sign tokens with; every configuration below carries it. */
    public static final String TOKEN_SECRET = "parley-test-token-secret-0123456789abcdefghijklmnop";

    private TestStack() {
    }

    /** Mints (and verifies) tokens the test brokers accept, as persistence-service does at login. */
    public static AccessTokens tokens() {
        return new AccessTokens(TOKEN_SECRET, Clock.systemUTC());
    }

    /** A fresh keyspace at the schema version this build needs, as persistence-service would leave it. */
    public static String migratedKeyspace(String prefix) {
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        try (CqlSession session = session(keyspace)) {
            new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(30));
        }
        return keyspace;
    }

    /**
     * Drops a test keyspace: the one Cassandra node serves the whole test run, and every table costs it
     * heap, so test classes clean up after themselves.
     */
    public static void dropKeyspace(CqlSession session, String keyspace) {
        session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement
                .newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(30)));
    }

    /** A session to the test Cassandra (not bound to a keyspace). */
    public static CqlSession session(String keyspace) {
        Endpoint cassandra = TestDependencies.cassandra();
        try {
            return CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace), "parley-test")
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a session to the test Cassandra at " + cassandra, e);
        }
    }

    /** The properties of {@code conf/parley.properties} pointing at the test Cassandra and Redis. */
    public static Map<String, String> properties(String keyspace, int healthPort) {
        Map<String, String> values = new HashMap<>();
        values.put(AUTH_TOKEN_SECRET, TOKEN_SECRET);
        values.put(CASSANDRA_CONTACT_POINTS, TestDependencies.cassandra().toString());
        values.put(CASSANDRA_KEYSPACE, keyspace);
        values.put(REDIS_URI, "redis://" + TestDependencies.redis());
        values.put(HEALTH_PORT, Integer.toString(healthPort));
        return values;
    }

    public static ExtensionConfig config(String keyspace, int healthPort) {
        return ConfigReader.parse(properties(keyspace, healthPort)).config();
    }

    /** {@link #config} with some keys changed (a secret file given here replaces the secret). */
    public static ExtensionConfig config(String keyspace, int healthPort, Map<String, String> overrides) {
        Map<String, String> values = properties(keyspace, healthPort);
        if (overrides.containsKey(AUTH_TOKEN_SECRET_FILE)) {
            values.remove(AUTH_TOKEN_SECRET);
        }
        values.putAll(overrides);
        return ConfigReader.parse(values).config();
    }
}
