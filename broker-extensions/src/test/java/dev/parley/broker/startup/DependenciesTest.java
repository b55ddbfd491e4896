package dev.parley.broker.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.broker.config.ExtensionConfig;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against the real test Cassandra and Redis: each way a start can fail, and the reason it gives. */
@Timeout(180)
class DependenciesTest {

    private static String keyspace;

    @BeforeAll
    static void migrate() {
        keyspace = TestStack.migratedKeyspace("deps");
    }

    @Test
    void connectsToAMigratedKeyspaceAndRedis() throws Exception {
        try (Dependencies dependencies = Dependencies.connect(TestStack.config(keyspace, 0))) {
            assertThat(dependencies.cassandra().execute("SELECT release_version FROM system.local").one().getString(0))
                    .startsWith("5.");
            assertThat(dependencies.redis().async().ping().get()).isEqualTo("PONG");
        }
    }

    @Test
    void unreachableCassandraNamesTheAddressAndTheFix() {
        int closed = Ports.free();
        ExtensionConfig config = TestStack.config(keyspace, 0,
                Map.of("cassandra.contact-points", "127.0.0.1:" + closed));

        assertThatThrownBy(() -> Dependencies.connect(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("Cassandra at 127.0.0.1:" + closed + " is unreachable (")
                .hasMessageContaining("Connection refused")
                .hasMessageEndingWith("start it (./parley up starts one) or set cassandra.contact-points in "
                        + "conf/parley.properties");
    }

    @Test
    void aKeyspaceThatDoesNotExistSendsTheOperatorToPersistenceService() {
        String missing = TestDependencies.uniqueKeyspace("nothing");

        assertThatThrownBy(() -> Dependencies.connect(TestStack.config(missing, 0)))
                .isInstanceOf(StartupException.class)
                .hasMessage("Cassandra at " + TestDependencies.cassandra() + ": Cassandra has no keyspace '" + missing
                        + "': start persistence-service first, it creates and migrates the schema");
    }

    @Test
    void aKeyspaceWithoutSchemaIsRefused() {
        String empty = TestDependencies.uniqueKeyspace("empty");
        try (CqlSession session = TestStack.session(empty)) {
            session.execute("CREATE KEYSPACE " + empty
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        }

        assertThatThrownBy(() -> Dependencies.connect(TestStack.config(empty, 0)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("keyspace '" + empty + "' has no schema history")
                .hasMessageContaining("start persistence-service first");
    }

    @Test
    void aWrongLocalDatacenterIsNamed() {
        ExtensionConfig config = TestStack.config(keyspace, 0, Map.of("cassandra.local-datacenter", "mars1"));

        assertThatThrownBy(() -> Dependencies.connect(config))
                .isInstanceOf(StartupException.class)
                .hasMessage("Cassandra at " + TestDependencies.cassandra() + " has no node in data centre 'mars1': set "
                        + "cassandra.local-datacenter in conf/parley.properties to the cluster's data centre "
                        + "(nodetool status shows it)");
    }

    @Test
    void unreachableRedisNamesTheAddressAndTheFix() {
        int closed = Ports.free();
        ExtensionConfig config = TestStack.config(keyspace, 0, Map.of("redis.uri", "redis://127.0.0.1:" + closed));

        assertThatThrownBy(() -> Dependencies.connect(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("Redis at 127.0.0.1:" + closed + " is unreachable (")
                .hasMessageContaining("Connection refused")
                .hasMessageEndingWith("start it (./parley up starts one) or set redis.uri in conf/parley.properties");
    }

    @Test
    void wrongRedisCredentialsAreNamedWithoutLeakingThem() {
        ExtensionConfig config = TestStack.config(keyspace, 0,
                Map.of("redis.uri", "redis://intruder:hunter2@" + TestDependencies.redis()));

        assertThatThrownBy(() -> Dependencies.connect(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("Redis at " + TestDependencies.redis() + " refused the credentials (")
                .hasMessageNotContaining("hunter2");
    }
}
