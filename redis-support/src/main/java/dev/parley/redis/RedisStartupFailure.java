package dev.parley.redis;

import io.lettuce.core.RedisConnectionException;

/**
 * Startup cannot continue without Redis. Like persistence-service's Cassandra failure it carries only
 * the one actionable line: no stack trace and no cause, which Quarkus would print at length.
 */
final class RedisStartupFailure extends RuntimeException {

    private RedisStartupFailure(String message) {
        super(message, null, false, false);
    }

    /**
     * @param service the service that cannot start (quarkus.application.name)
     * @param uri     the configured URI as Lettuce prints it (password masked), or the raw text if it did not parse
     */
    static RedisStartupFailure describe(String service, Throwable failure, String uri) {
        String message;
        if (failure instanceof IllegalArgumentException) {
            message = "parley.redis.uri '" + uri + "' is not a Redis URI (" + failure.getMessage()
                    + "): write e.g. redis://127.0.0.1:6379";
        } else if (failure instanceof RedisConnectionException) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = "Cannot reach Redis at " + uri + " (" + root.getMessage() + "): start Redis, e.g. with "
                    + "./parley up, or point parley.redis.uri at a running server";
        } else {
            message = "Connecting to Redis at " + uri + " failed: " + failure;
        }
        return new RedisStartupFailure(service + " cannot start. " + message);
    }
}
