package dev.parley.broker.health;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A query every node answers from its own system tables: it proves the session reaches a node of
 * the cluster, not that a quorum of replicas is up (writes at LOCAL_QUORUM fail visibly then).
 */
public final class CassandraCheck implements ReadinessCheck {

    private final CqlSession session;
    private final SimpleStatement statement;

    public CassandraCheck(CqlSession session, Duration timeout) {
        this.session = session;
        this.statement = SimpleStatement.newInstance("SELECT release_version FROM system.local")
                .setTimeout(timeout)
                .setIdempotent(true);
    }

    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public CompletionStage<?> probe() {
        return session.executeAsync(statement);
    }
}
