package dev.parley.broker.config;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * @param uri            Redis URI as configured (may hold a password: never log it, log {@link #address()})
 * @param commandTimeout bound on every Redis command
 */
public record RedisSettings(String uri, Duration commandTimeout) {

    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("Redis command timeout must be positive");
        }
        RedisURI.create(uri); // fails on what Lettuce would not accept
    }

    /** A fresh Lettuce URI (RedisURI is mutable, so none is shared) carrying the command timeout. */
    public RedisURI toRedisUri() {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(commandTimeout);
        return redisUri;
    }

    /** Where Redis is, for log lines and error messages: host:port, without credentials. */
    public String address() {
        RedisURI redisUri = RedisURI.create(uri);
        if (redisUri.getHost() != null) {
            return redisUri.getHost() + ":" + redisUri.getPort();
        }
        if (redisUri.getSocket() != null) {
            return redisUri.getSocket();
        }
        return redisUri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort())
                .reduce((a, b) -> a + "," + b).map(s -> "sentinels " + s).orElse("(no host)");
    }
}
