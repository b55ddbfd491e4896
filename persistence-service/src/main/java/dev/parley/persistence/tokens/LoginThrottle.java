package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Failed logins per handle, counted in Redis over a fixed window: after {@code max} failures the
 * handle's logins are refused (429 with Retry-After) until the window ends, so guessing a password
 * costs time while a typo or two does not. Counting is shared by every persistence-service instance.
 * Redis trouble never locks people out: the check then lets the login through and says so in the log.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** Counts a failure; the first one of a window starts its expiry. */
    private static final String COUNT_FAILURE = """
            local failures = redis.call('INCR', KEYS[1])
            if failures == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return failures
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final int max;
    private final Duration window;

    LoginThrottle(StatefulRedisConnection<String, String> redis, AuthConfig config) {
        this.redis = redis;
        this.max = config.loginAttempts().max();
        this.window = config.loginAttempts().window();
    }

    static String key(String handle) {
        return "parley:login-failures:" + handle;
    }

    /** Completes normally when the handle may try; fails with 429 when it has used up its attempts. */
    CompletionStage<Void> check(String handle) {
        String key = key(handle);
        return redis.async().get(key).toCompletableFuture()
                .orTimeout(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((failures, error) -> {
                    if (error != null) {
                        LOG.warnf("Login attempts of handle %s not checked (Redis: %s): letting the attempt through",
                                handle, error.toString());
                        return 0L;
                    }
                    return failures == null ? 0L : Long.parseLong(failures);
                })
                .thenCompose(failures -> failures < max
                        ? CompletableFuture.<Void>completedFuture(null)
                        : redis.async().pttl(key).toCompletableFuture()
                                .orTimeout(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .handle((ttl, error) -> {
                                    Duration wait = ttl == null || ttl <= 0 ? window : Duration.ofMillis(ttl);
                                    LOG.infof("Login of handle %s refused: %d failed attempts within %s", handle,
                                            failures, window);
                                    throw ProblemException.retryAfter(ProblemType.TOO_MANY_LOGIN_ATTEMPTS,
                                            "too many failed logins for this handle; try again in "
                                                    + Math.max(1, wait.toSeconds()) + " s", wait);
                                }));
    }

    /** Records a failed attempt; never fails the request (the login is refused anyway). */
    CompletionStage<Void> failed(String handle) {
        return redis.async().<Long>eval(COUNT_FAILURE, ScriptOutputType.INTEGER, new String[] {key(handle)},
                        Long.toString(window.toMillis()))
                .toCompletableFuture()
                .orTimeout(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((failures, error) -> {
                    if (error != null) {
                        LOG.warnf("Failed login of handle %s not counted (Redis: %s)", handle, error.toString());
                    }
                    return null;
                });
    }
}
