package dev.parley.store;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import java.time.Duration;

/** A session to the shared test Cassandra and a freshly migrated keyspace per test class. */
public final class StoreTestSupport {

    private StoreTestSupport() {
    }

    public static CqlSession session() {
        Endpoint cql = TestDependencies.cassandra();
        return CassandraSessions.open(CassandraSettings.local(cql.host(), cql.port(), "unused"), "store-test")
                .toCompletableFuture().join();
    }

    /** Test classes drop their keyspace when done: the shared node pays heap for every table. */
    public static void drop(CqlSession session, String keyspace) {
        session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement
                .newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(30)));
    }

    public static String migratedKeyspace(CqlSession session, String prefix) {
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(30));
        return keyspace;
    }
}
