package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.testing.TestDependencies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Replication as Cassandra records it, through the migrator persistence-service runs at startup: the
 * production form (NetworkTopologyStrategy; the test node's snitch names its data centre datacenter1) and an
 * existing keyspace configured differently, which is warned about and left alone.
 */
@Timeout(120)
class KeyspaceReplicationTest {

    private static final Replication DATACENTER1 = Replication.parse("NetworkTopologyStrategy:datacenter1=1");
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static CqlSession session;

    @BeforeAll
    static void connect() {
        session = StoreTestSupport.session();
    }

    @AfterAll
    static void close() {
        CREATED.forEach(k -> StoreTestSupport.drop(session, k));
        session.close();
    }

    @Test
    void networkTopologyStrategyIsWhatCassandraRecords() {
        String keyspace = keyspace("nts");
        SchemaMigrator migrator = new SchemaMigrator(session, keyspace, DATACENTER1);

        assertThat(migrator.migrate(Duration.ofSeconds(30))).isNotEmpty();

        assertThat(replicationOf(keyspace)).isEqualTo(Map.of(
                "class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "1"));
        assertThat(migrator.replicationMismatch()).isEmpty();
        migrator.verify();
    }

    @Test
    void anExistingKeyspaceWithOtherReplicationIsWarnedAboutAndNeverAltered() {
        String keyspace = keyspace("other_repl");
        new SchemaMigrator(session, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(30));
        ListAppender<ILoggingEvent> log = capture();
        try {
            SchemaMigrator configuredOtherwise = new SchemaMigrator(session, keyspace, DATACENTER1);

            assertThat(configuredOtherwise.migrate(Duration.ofSeconds(30))).isEmpty();

            assertThat(configuredOtherwise.replicationMismatch()).hasValueSatisfying(warning -> assertThat(warning)
                    .contains(keyspace, "SimpleStrategy", "replication_factor=1", "NetworkTopologyStrategy:datacenter1=1"));
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly(configuredOtherwise.replicationMismatch().orElseThrow());
            assertThat(replicationOf(keyspace)).isEqualTo(Map.of(
                    "class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"));
        } finally {
            logger().detachAppender(log);
        }
    }

    private static Map<String, String> replicationOf(String keyspace) {
        return session.execute(SimpleStatement.newInstance(
                        "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace))
                .one().getMap("replication", String.class, String.class);
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger().addAppender(appender);
        return appender;
    }

    private static ch.qos.logback.classic.Logger logger() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(SchemaMigrator.class);
    }

    private static String keyspace(String prefix) {
        String keyspace = TestDependencies.uniqueKeyspace(prefix);
        CREATED.add(keyspace);
        return keyspace;
    }
}
