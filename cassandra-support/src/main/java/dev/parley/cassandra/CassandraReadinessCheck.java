package dev.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means "can serve a request that reads the keyspace". The probe reads one row of Parley's own
 * schema history at the configured consistency (LOCAL_QUORUM by default) instead of
 * {@code system.local}: a node-local table answers even when too few replicas are up for any real
 * read or write, which would report a service as ready that can only fail. Asynchronous, so a hung
 * cluster costs the probe its timeout and never an event-loop thread. The services' one readiness check for
 * Cassandra: a service that injects a {@link CqlSession} produces the {@link CassandraTarget} it points at.
 */
@Readiness
@ApplicationScoped
public final class CassandraReadinessCheck implements AsyncHealthCheck {

    public static final String NAME = "cassandra";
    /** Shorter than a typical probe period (Kubernetes: 10 s), so probes never pile up. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final CqlSession session;
    private final SimpleStatement probe;
    private final String contactPoints;
    private final String keyspace;

    public CassandraReadinessCheck(CqlSession session, CassandraTarget target) {
        this.session = session;
        this.contactPoints = target.contactPoints();
        this.keyspace = target.keyspace();
        this.probe = SimpleStatement.newInstance(
                        "SELECT version FROM " + keyspace + ".schema_migrations WHERE scope = 'parley' LIMIT 1")
                .setTimeout(TIMEOUT)
                .setIdempotent(true);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> session.executeAsync(probe))
                .map(rs -> {
                    Row row = rs.one();
                    return HealthCheckResponse.named(NAME).up()
                            .withData("contactPoints", contactPoints)
                            .withData("keyspace", keyspace)
                            .withData("schemaVersion", row == null ? 0 : row.getInt("version"))
                            .build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("contactPoints", contactPoints)
                        .withData("keyspace", keyspace)
                        .withData("error", describe(failure))
                        .build());
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
