package dev.parley.persistence.testing;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.parley.devstack.Endpoint;
import dev.parley.persistence.cassandra.CassandraConfig;
import java.time.Duration;

/** The configuration of application.properties, for tests that build a collaborator without Quarkus. */
public record TestCassandraConfig(String contactPoints, String localDatacenter, String keyspace,
                                  String replication, DefaultConsistencyLevel consistency,
                                  Duration requestTimeout, Duration migrationLockWait) implements CassandraConfig {

    public static TestCassandraConfig of(Endpoint cassandra, String keyspace) {
        return new TestCassandraConfig(cassandra.toString(), "datacenter1", keyspace, "SimpleStrategy:1",
                DefaultConsistencyLevel.LOCAL_QUORUM, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    public TestCassandraConfig withLocalDatacenter(String datacenter) {
        return new TestCassandraConfig(contactPoints, datacenter, keyspace, replication, consistency,
                requestTimeout, migrationLockWait);
    }
}
