package dev.parley.push.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Where push-service reads device push tokens, display names and read watermarks; documented in
 * application.properties. The keyspace also names the deployment's push job stream.
 */
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
