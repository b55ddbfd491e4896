package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SchemaMigratorTest {

    private static CqlSession session;

    @BeforeAll
    static void connect() {
        Endpoint cql = TestDependencies.cassandra();
        session = CassandraSessions.open(CassandraSettings.local(cql.host(), cql.port(), "unused"), "store-test")
                .toCompletableFuture().join();
    }

    @AfterAll
    static void close() {
        CREATED.forEach(k -> StoreTestSupport.drop(session, k));
        session.close();
    }

    private static final List<String> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static String keyspace(String prefix) {
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        CREATED.add(keyspace);
        return keyspace;
    }

    @Test
    void firstStartCreatesKeyspaceAndAppliesEveryMigration() {
        String keyspace = keyspace("migrate");
        List<Integer> applied = migrator(keyspace).migrate(Duration.ofSeconds(30));

        assertThat(applied).isEqualTo(Migrations.ALL.stream().map(Migration::version).toList());
        assertThat(session.getMetadata().getKeyspace(keyspace).orElseThrow().getTable("users")).isPresent();
        assertThat(migrator(keyspace).currentVersion()).isEqualTo(SchemaMigrator.requiredVersion());
    }

    @Test
    void secondStartChangesNothing() {
        String keyspace = keyspace("again");
        migrator(keyspace).migrate(Duration.ofSeconds(30));
        long historyRows = history(keyspace);

        assertThat(migrator(keyspace).migrate(Duration.ofSeconds(30))).isEmpty();
        assertThat(history(keyspace)).isEqualTo(historyRows);
        migrator(keyspace).verify();
    }

    @Test
    void schemaNewerThanTheCodeIsRefused() {
        String keyspace = keyspace("newer");
        migrator(keyspace).migrate(Duration.ofSeconds(30));
        int future = SchemaMigrator.requiredVersion() + 1;
        session.execute("INSERT INTO " + keyspace + ".schema_migrations (scope, version, description, applied_at) "
                + "VALUES ('parley', " + future + ", 'from a newer release', toTimestamp(now()))");

        assertThatThrownBy(() -> migrator(keyspace).migrate(Duration.ofSeconds(30)))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("schema version " + future)
                .hasMessageContaining("newer than this build knows");
        assertThatThrownBy(() -> migrator(keyspace).verify()).isInstanceOf(SchemaException.class);
    }

    @Test
    void verifyNamesTheServiceThatCreatesAMissingKeyspace() {
        assertThatThrownBy(() -> migrator(TestDependencies.uniqueKeyspace("missing")).verify())
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("start persistence-service first");
    }

    @Test
    void aUserRowWrittenThroughTheStoreIsReadBack() {
        String keyspace = keyspace("users");
        migrator(keyspace).migrate(Duration.ofSeconds(30));
        UserStore users = new UserStore(session, keyspace);
        UserRecord alice = new UserRecord(UUID.randomUUID(), "alice", "Alice", null, "alice@example.org", null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));

        users.insert(alice).toCompletableFuture().join();

        assertThat(users.find(alice.userId()).toCompletableFuture().join()).contains(alice);
        assertThat(users.find(UUID.randomUUID()).toCompletableFuture().join()).isEqualTo(Optional.empty());
    }

    private static SchemaMigrator migrator(String keyspace) {
        return new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1"));
    }

    private static long history(String keyspace) {
        return session.execute("SELECT count(*) FROM " + keyspace + ".schema_migrations WHERE scope = 'parley'").one().getLong(0);
    }
}
