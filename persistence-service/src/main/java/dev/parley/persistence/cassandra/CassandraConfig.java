package dev.parley.persistence.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * Where persistence-service finds Cassandra and how it writes. The values, with their meaning, are
 * in {@code application.properties}; any of them can be overridden with {@code -Dparley.cassandra.…}
 * or the matching environment variable ({@code PARLEY_CASSANDRA_CONTACT_POINTS}, …).
 */
@ConfigMapping(prefix = "parley.cassandra")
public interface CassandraConfig {

    /** {@code host:port[,host:port…]}; kept as text so a bad entry is reported with the driver's own parser. */
    String contactPoints();

    String localDatacenter();

    String keyspace();

    /** {@code SimpleStrategy:<rf>} or {@code NetworkTopologyStrategy:<dc>=<rf>[,…]}; used only when the keyspace is created. */
    String replication();

    DefaultConsistencyLevel consistency();

    Duration requestTimeout();

    Duration migrationLockWait();
}
