package dev.parley.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.cassandra.CassandraTarget;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import dev.parley.store.SchemaMigrator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The one driver session of the service. It is opened eagerly at startup, not on the first request,
 * because persistence-service is the service of record: it migrates the keyspace before it accepts
 * traffic, and it refuses to start at all when Cassandra is unreachable or its schema is newer than
 * this build — a service that is up but cannot store anything would only hide the problem.
 */
@Singleton
final class CassandraSessionProducer {

    private static final Logger LOG = Logger.getLogger(CassandraSessionProducer.class);
    private static final String APPLICATION_NAME = "parley-persistence-service";

    private final CassandraConfig config;

    CassandraSessionProducer(CassandraConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    @Startup
    CqlSession session() {
        CqlSession session = null;
        try {
            CassandraSettings settings = settings(config);
            session = CassandraSessions.open(settings, APPLICATION_NAME).toCompletableFuture().join();
            List<Integer> applied = new SchemaMigrator(session, settings.keyspace(), settings.replication())
                    .migrate(config.migrationLockWait());
            LOG.infof("Cassandra session open to %s (data centre %s); keyspace %s at schema version %d%s",
                    config.contactPoints(), settings.localDatacenter(), settings.keyspace(),
                    SchemaMigrator.requiredVersion(), applied.isEmpty() ? "" : ", applied migrations " + applied);
            return session;
        } catch (RuntimeException e) {
            CassandraStartupFailure failure = CassandraStartupFailure.describe(e, config.contactPoints(),
                    config.localDatacenter(), session != null);
            // The one line an operator needs; the driver's stack trace is kept at DEBUG for whoever digs.
            LOG.error(failure.getMessage());
            LOG.debug("Cassandra startup failure detail", e);
            if (session != null) {
                session.forceCloseAsync();
            }
            throw failure;
        }
    }

    /** What the shared Cassandra readiness check probes and reports. */
    @Produces
    @Singleton
    CassandraTarget target() {
        return new CassandraTarget(config.contactPoints(), config.keyspace());
    }

    void close(@Disposes CqlSession session) {
        if (!CassandraSessions.close(session, Duration.ofSeconds(5))) {
            LOG.warn("Cassandra session did not close cleanly within 5 s; forced it");
        }
    }

    static CassandraSettings settings(CassandraConfig config) {
        return new CassandraSettings(
                CassandraSettings.parseContactPoints(config.contactPoints()),
                config.localDatacenter(),
                config.keyspace(),
                Replication.parse(config.replication()),
                config.consistency(),
                config.requestTimeout());
    }
}
