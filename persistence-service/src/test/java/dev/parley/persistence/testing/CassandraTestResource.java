package dev.parley.persistence.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application under test at the Cassandra node and the Redis the test run shares (see
 * {@link TestDependencies}), and at a keyspace of its own, which the application then creates and
 * migrates itself at startup, exactly as in production. The keyspace is dropped afterwards so a
 * long-lived test node does not collect them.
 */
public final class CassandraTestResource implements QuarkusTestResourceLifecycleManager {

    /** The access-token secret of the application under test (48 bytes; tests only). */
    public static final String TOKEN_SECRET = "test-only-secret-0123456789-abcdefghijklmnopqrstu";

    private Endpoint cassandra;
    private String keyspace;

    @Override
    public Map<String, String> start() {
        cassandra = TestDependencies.cassandra();
        keyspace = TestDependencies.uniqueKeyspace("persistence");
        return Map.of(
                "parley.cassandra.contact-points", cassandra.toString(),
                "parley.cassandra.keyspace", keyspace,
                // Group changes go to Redis, presence is read from it; tests tell their groups and users
                // apart by their random ids.
                "parley.redis.uri", "redis://" + TestDependencies.redis(),
                // The inline secret, so the tests need no file; the tests verify tokens with the same one.
                "parley.auth.token-secret", TOKEN_SECRET);
    }

    @Override
    public void stop() {
        try (CqlSession session = CassandraSessions.open(
                CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace), "persistence-service-tests")
                .toCompletableFuture().join()) {
            session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        }
    }
}
