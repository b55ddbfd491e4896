package dev.parley.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.persistence.testing.TestCassandraConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator reads when persistence-service cannot start: the producer's own failure, against
 * a port nobody listens on and against the shared real node.
 */
@Timeout(60)
class CassandraStartupFailureTest {

    @Test
    void unreachableCassandraNamesTheContactPointsAndHowToStartIt() {
        Endpoint nobody = new Endpoint("127.0.0.1", Ports.free());
        CassandraSessionProducer producer = new CassandraSessionProducer(TestCassandraConfig.of(nobody, "parley"));

        assertThatThrownBy(producer::session)
                .isInstanceOf(CassandraStartupFailure.class)
                .hasMessageContaining("Cannot reach Cassandra at " + nobody)
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("./parley up")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefusedWithWhatToUpgrade() {
        Endpoint cassandra = TestDependencies.cassandra();
        String keyspace = TestDependencies.uniqueKeyspace("persistence-newer");
        CassandraSessionProducer producer = new CassandraSessionProducer(TestCassandraConfig.of(cassandra, keyspace));
        CqlSession session = producer.session();
        try {
            session.execute(SimpleStatement.newInstance(
                    "INSERT INTO " + keyspace + ".schema_migrations (scope, version, description, applied_at) "
                            + "VALUES ('parley', 999, 'from the future', ?)", Instant.now()));

            assertThatThrownBy(producer::session)
                    .isInstanceOf(CassandraStartupFailure.class)
                    .hasMessageContaining("schema version 999, newer than this build knows")
                    .hasMessageContaining("run a Parley release that is at least as new")
                    .hasMessageNotContaining("\n");
        } finally {
            session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
            producer.close(session);
        }
    }

    @Test
    void aWrongLocalDatacenterIsNamedAsSuch() {
        Endpoint cassandra = TestDependencies.cassandra();
        CassandraSessionProducer producer = new CassandraSessionProducer(
                TestCassandraConfig.of(cassandra, TestDependencies.uniqueKeyspace("persistence-wrongdc")).withLocalDatacenter("dc-nowhere"));

        assertThatThrownBy(producer::session)
                .isInstanceOf(CassandraStartupFailure.class)
                .hasMessageContaining("no node of data centre 'dc-nowhere'")
                .hasMessageContaining("parley.cassandra.local-datacenter");
    }

    @Test
    void anUnparseableReplicationIsAConfigurationError() {
        Endpoint cassandra = TestDependencies.cassandra();
        TestCassandraConfig base = TestCassandraConfig.of(cassandra, "parley");
        TestCassandraConfig config = new TestCassandraConfig(base.contactPoints(), base.localDatacenter(),
                base.keyspace(), "ThreeCopiesPlease", base.consistency(), base.requestTimeout(), base.migrationLockWait());

        assertThatThrownBy(new CassandraSessionProducer(config)::session)
                .isInstanceOf(CassandraStartupFailure.class)
                .hasMessageStartingWith("persistence-service cannot start. Invalid Cassandra configuration: replication 'ThreeCopiesPlease'");
    }
}
