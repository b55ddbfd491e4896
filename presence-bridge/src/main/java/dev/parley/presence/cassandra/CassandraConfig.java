package dev.parley.presence.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where presence-bridge persists last seen and reads privacy settings; documented in application.properties. */
@ConfigMapping(prefix = "parley.cassandra")
public interface CassandraConfig {

    /** {@code host:port[,host:port…]}. */
    @WithDefault("127.0.0.1:9042")
    String contactPoints();

    @WithDefault("datacenter1")
    String localDatacenter();

    @WithDefault("parley")
    String keyspace();

    @WithDefault("LOCAL_QUORUM")
    DefaultConsistencyLevel consistency();

    @WithDefault("5s")
    Duration requestTimeout();
}
