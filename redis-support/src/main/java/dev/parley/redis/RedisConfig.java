package dev.parley.redis;

import io.smallrye.config.ConfigMapping;

/** The Redis a Parley service uses; documented in each service's application.properties. */
@ConfigMapping(prefix = "parley.redis")
public interface RedisConfig {

    /**
     * A Lettuce Redis URI: {@code redis://[[user]:password@]host[:port][/database][?timeout=5s]},
     * {@code rediss://} for TLS.
     */
    String uri();
}
