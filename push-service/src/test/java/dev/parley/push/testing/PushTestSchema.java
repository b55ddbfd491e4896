package dev.parley.push.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A keyspace of the test run's shared Cassandra, migrated as persistence-service does it, with the
 * push-token columns on {@code devices}.
 *
 * <p>MERGE NOTE: the columns are added here only if missing, because the migration that owns them
 * (persistence-service's device tokens) is on another branch; once merged, {@link #addPushColumnsIfMissing}
 * finds them present and can be deleted, and {@link #registerDevice} should call that store class.
 */
public final class PushTestSchema implements AutoCloseable {

    public final Endpoint cassandra;
    public final String keyspace;
    public final CqlSession session;

    private PushTestSchema(Endpoint cassandra, String keyspace, CqlSession session) {
        this.cassandra = cassandra;
        this.keyspace = keyspace;
        this.session = session;
    }

    public static PushTestSchema create(String prefix) {
        return create(prefix, true);
    }

    /** {@code withPushColumns} false: the schema as it is before the device-token migration. */
    public static PushTestSchema create(String prefix, boolean withPushColumns) {
        Endpoint cassandra = TestDependencies.cassandra();
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        CqlSession session = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                "push-service-tests").toCompletableFuture().join();
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(60));
        if (withPushColumns) {
            addPushColumnsIfMissing(session, keyspace);
        }
        return new PushTestSchema(cassandra, keyspace, session);
    }

    public static void addPushColumnsIfMissing(CqlSession session, String keyspace) {
        session.execute("ALTER TABLE " + keyspace + ".devices ADD IF NOT EXISTS push_token text");
        session.execute("ALTER TABLE " + keyspace + ".devices ADD IF NOT EXISTS push_platform text");
    }

    public UUID user(String displayName) {
        UUID id = UUID.randomUUID();
        session.execute(session.prepare("INSERT INTO " + keyspace + ".users (user_id, handle, display_name, created_at) "
                + "VALUES (?, ?, ?, ?)").bind(id, "u" + id.toString().substring(0, 8), displayName, Instant.now()));
        return id;
    }

    public void registerDevice(UUID user, String deviceId, String platform, String token) {
        session.execute(session.prepare("UPDATE " + keyspace + ".devices SET push_token = ?, push_platform = ?, "
                + "revoked = false WHERE user_id = ? AND device_id = ?").bind(token, platform, user, deviceId));
    }

    /** The device's push token, or null. */
    public String tokenOf(UUID user, String deviceId) {
        Row row = session.execute(session.prepare("SELECT push_token FROM " + keyspace
                + ".devices WHERE user_id = ? AND device_id = ?").bind(user, deviceId)).one();
        return row == null ? null : row.getString("push_token");
    }

    public void markRead(String conversationId, UUID user, long upToSeq) {
        session.execute(session.prepare("UPDATE " + keyspace + ".read_watermarks SET up_to_seq = ? "
                + "WHERE conversation_id = ? AND user_id = ?").bind(upToSeq, conversationId, user));
    }

    @Override
    public void close() {
        try {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            // Best effort: a keyspace left behind on the busy test node is harmless (names are unique).
        } finally {
            session.close();
        }
    }
}
