package dev.parley.presence.redis;

import io.smallrye.config.ConfigMapping;

/** Where presence-bridge keeps presence state; documented in application.properties. */
@ConfigMapping(prefix = "parley.redis")
public interface RedisConfig {

    /**
     * A Lettuce Redis URI: {@code redis://[[user]:password@]host[:port][/database][?timeout=5s]},
     * {@code rediss://} for TLS.
     */
    String uri();
}
