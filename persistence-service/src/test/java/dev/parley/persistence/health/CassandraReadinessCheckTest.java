package dev.parley.persistence.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.cassandra.CassandraReadinessCheck;
import dev.parley.cassandra.CassandraTarget;
import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.devstack.testing.TcpProxy;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.persistence.testing.TestCassandraConfig;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared Cassandra readiness check (cassandra-support), as persistence-service uses it, against a real node that then becomes unreachable. The check's session reaches the node
 * through a proxy that the test cuts, because the node itself is shared with every other test.
 */
@Timeout(60)
class CassandraReadinessCheckTest {

    @Test
    void isUpThenGoesDownWhenCassandraBecomesUnreachable() {
        Endpoint cassandra = TestDependencies.cassandra();
        String keyspace = TestDependencies.uniqueKeyspace("persistence-readiness");
        try (CqlSession direct = open(cassandra, keyspace)) {
            new SchemaMigrator(direct, keyspace, Replication.parse("SimpleStrategy:1")).migrate(Duration.ofSeconds(30));
            try (TcpProxy proxy = TcpProxy.to(cassandra.host(), cassandra.port());
                 CqlSession viaProxy = open(proxy.endpoint(), keyspace)) {
                CassandraConfig config = TestCassandraConfig.of(proxy.endpoint(), keyspace);
                CassandraReadinessCheck check = new CassandraReadinessCheck(viaProxy,
                        new CassandraTarget(config.contactPoints(), config.keyspace()));

                HealthCheckResponse up = check.call().await().atMost(Duration.ofSeconds(10));
                assertThat(up.getName()).isEqualTo("cassandra");
                assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
                assertThat(up.getData().orElseThrow()).containsEntry("schemaVersion", (long) SchemaMigrator.requiredVersion());

                proxy.close();

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HealthCheckResponse down = check.call().await()
                            .atMost(CassandraReadinessCheck.TIMEOUT.plusSeconds(3));
                    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                    assertThat(down.getData().orElseThrow()).containsKey("error");
                });
            } finally {
                direct.execute("DROP KEYSPACE IF EXISTS " + keyspace);
            }
        }
    }

    private static CqlSession open(Endpoint endpoint, String keyspace) {
        return CassandraSessions.open(CassandraSettings.local(endpoint.host(), endpoint.port(), keyspace),
                "readiness-test").toCompletableFuture().join();
    }
}
