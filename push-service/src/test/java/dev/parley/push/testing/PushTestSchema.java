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
import dev.parley.store.accounts.DeviceStore;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.ConversationIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A keyspace of the test run's shared Cassandra, migrated as persistence-service does it; devices are
 * logged in and register their push tokens through the store's {@link DeviceStore}, as
 * persistence-service's {@code PUT /v1/me/devices/{deviceId}} does.
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
        Endpoint cassandra = TestDependencies.cassandra();
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        CqlSession session = CassandraSessions.open(CassandraSettings.local(cassandra.host(), cassandra.port(), keyspace),
                "push-service-tests").toCompletableFuture().join();
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(60));
        return new PushTestSchema(cassandra, keyspace, session);
    }

    public UUID user(String displayName) {
        UUID id = UUID.randomUUID();
        session.execute(session.prepare("INSERT INTO " + keyspace + ".users (user_id, handle, display_name, created_at) "
                + "VALUES (?, ?, ?, ?)").bind(id, "u" + id.toString().substring(0, 8), displayName, Instant.now()));
        return id;
    }

    public void registerDevice(UUID user, String deviceId, String platform, String token) {
        DeviceStore devices = new DeviceStore(session, keyspace);
        devices.recordLogin(user, deviceId, "token-of-" + deviceId, Instant.now()).toCompletableFuture().join();
        if (devices.registerPush(user, deviceId, platform, token, Instant.now()).toCompletableFuture().join()
                != DeviceStore.PushRegistration.REGISTERED) {
            throw new IllegalStateException("push token of " + user + "/" + deviceId + " not registered");
        }
    }

    /** A group created as persistence-service creates one (the first member is its admin). */
    public UUID group(String name, UUID... members) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        List<GroupStore.Member> roster = new ArrayList<>();
        for (UUID member : members) {
            roster.add(new GroupStore.Member(member, roster.isEmpty() ? GroupStore.Role.admin : GroupStore.Role.member,
                    now, 0, members[0]));
        }
        groups().create(new GroupStore.Group(id, name, "", members[0], now), roster).toCompletableFuture().join();
        return id;
    }

    /** Renames a group, as {@code PATCH /v1/groups/{id}} does. */
    public void renameGroup(UUID group, String name) {
        groups().describe(group, name, "").toCompletableFuture().join();
    }

    public GroupStore groups() {
        return new GroupStore(session, keyspace, new ConversationIndex(session, keyspace));
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
