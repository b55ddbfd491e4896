package dev.parley.presence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready includes "can read the keyspace": one row of Parley's schema history at the configured consistency
 * (a node-local table would answer even when too few replicas are up to persist a last seen). Asynchronous:
 * a hung cluster costs the probe its timeout, never an event-loop thread.
 */
@Readiness
@ApplicationScoped
final class CassandraReadinessCheck implements AsyncHealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final CqlSession session;
    private final CassandraConfig config;
    private final SimpleStatement probe;

    CassandraReadinessCheck(CqlSession session, CassandraConfig config) {
        this.session = session;
        this.config = config;
        this.probe = SimpleStatement.newInstance("SELECT version FROM " + config.keyspace()
                + ".schema_migrations WHERE scope = 'parley' LIMIT 1").setTimeout(TIMEOUT).setIdempotent(true);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> session.executeAsync(probe))
                .map(rs -> HealthCheckResponse.named("cassandra").up()
                        .withData("contactPoints", config.contactPoints()).withData("keyspace", config.keyspace()).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("cassandra").down()
                        .withData("contactPoints", config.contactPoints()).withData("keyspace", config.keyspace())
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }
}
