package dev.parley.presence.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/**
 * Points the application under test at the real Redis the test run shares and a keyspace of the shared
 * Cassandra, migrated as persistence-service does it (see {@link TestDependencies}).
 */
public final class StoresTestResource implements QuarkusTestResourceLifecycleManager {

    private CqlSession session;
    private String keyspace;

    @Override
    public Map<String, String> start() {
        Endpoint redis = TestDependencies.redis();
        Endpoint cassandra = TestDependencies.cassandra();
        keyspace = TestDependencies.uniqueKeyspace("bridge");
        session = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                "presence-bridge-tests").toCompletableFuture().join();
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(60));
        return Map.of("parley.redis.uri", "redis://" + redis,
                "parley.cassandra.contact-points", cassandra.toString(),
                "parley.cassandra.keyspace", keyspace);
    }

    @Override
    public void stop() {
        // The shared Redis belongs to the test run; the keyspace is ours.
        if (session != null) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(Duration.ofSeconds(60)));
            session.close();
        }
    }
}
