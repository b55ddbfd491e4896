package dev.parley.presence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.cassandra.CassandraTarget;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.presence.UserPresenceStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The bridge's Cassandra session and {@link UserPresenceStore} on it. Opened at startup and checked against
 * the schema version this build needs: persistence-service owns and migrates the schema, so a missing or
 * older keyspace stops the startup with one line saying so.
 */
@Singleton
final class CassandraProducer {

    private static final Logger LOG = Logger.getLogger(CassandraProducer.class);

    private final CassandraConfig config;

    CassandraProducer(CassandraConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    @Startup
    CqlSession session() {
        try {
            CqlSession session = CassandraSessions.openVerified(CassandraSettings.forReader(config.contactPoints(),
                    config.localDatacenter(), config.keyspace(), config.consistency(), config.requestTimeout()),
                    "presence-bridge");
            LOG.infof("Cassandra session open to %s, keyspace %s", config.contactPoints(), config.keyspace());
            return session;
        } catch (IllegalStateException e) {
            LOG.error(e.getMessage());
            throw e;
        }
    }

    /** What the shared Cassandra readiness check probes and reports. */
    @Produces
    @Singleton
    CassandraTarget target() {
        return new CassandraTarget(config.contactPoints(), config.keyspace());
    }

    void close(@Disposes CqlSession session) {
        CassandraSessions.close(session, Duration.ofSeconds(5));
    }

    @Produces
    @Singleton
    UserPresenceStore userPresence(CqlSession session) {
        return new UserPresenceStore(session, config.keyspace());
    }
}
