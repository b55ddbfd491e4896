package dev.parley.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means Redis answers PING within {@link #TIMEOUT}; asynchronous, so a hung Redis blocks no thread. */
@Readiness
@ApplicationScoped
final class RedisReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "redis";
    /** Shorter than a typical probe period (Kubernetes: 10 s), so probes never pile up. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final StatefulRedisConnection<String, String> connection;
    private final String uri;

    RedisReadinessCheck(StatefulRedisConnection<String, String> connection, RedisConfig config) {
        this.connection = connection;
        this.uri = RedisURI.create(config.uri()).toString();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> connection.async().ping())
                .ifNoItem().after(TIMEOUT).fail()
                .map(pong -> HealthCheckResponse.named(NAME).up().withData("uri", uri).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("uri", uri)
                        .withData("error", describe(failure))
                        .build());
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
