package dev.parley.presence.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import dev.parley.store.friends.FriendStore;
import dev.parley.store.presence.UserPresenceStore;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A keyspace of the test run's shared Cassandra, migrated as persistence-service does it, with the stores the
 * presence tests write users and friendships through; dropped at close.
 */
public final class TestSchema implements AutoCloseable {

    public final String keyspace;
    public final CqlSession session;
    public final UserStore users;
    public final FriendStore friends;
    public final UserPresenceStore presence;

    private TestSchema(String keyspace, CqlSession session) {
        this.keyspace = keyspace;
        this.session = session;
        this.users = new UserStore(session, keyspace);
        this.friends = new FriendStore(session, keyspace);
        this.presence = new UserPresenceStore(session, keyspace);
    }

    public static TestSchema create(String prefix) {
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        Endpoint cassandra = TestDependencies.cassandra();
        CqlSession session = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                "presence-bridge-tests").toCompletableFuture().join();
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(60));
        return new TestSchema(keyspace, session);
    }

    public UUID newUser(String handle) {
        UUID id = UUID.randomUUID();
        users.insert(new UserRecord(id, handle + "-" + id.toString().substring(0, 8), handle, null, null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS))).toCompletableFuture().join();
        return id;
    }

    public void befriend(UUID a, UUID b) {
        friends.befriend(a, b, Instant.now()).toCompletableFuture().join();
    }

    @Override
    public void close() {
        // The one test Cassandra serves every module's tests: give it time, and free its heap of our tables.
        session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(60)));
        session.close();
    }
}
