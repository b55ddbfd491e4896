package dev.parley.push.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.cassandra.CassandraTarget;
import dev.parley.push.targets.CassandraPushTargets;
import dev.parley.push.targets.PushTargets;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.Watermarks;
import dev.parley.store.users.UserStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The service's Cassandra session and the store classes on it. Opened at startup and checked against
 * the schema version this build needs: push-service only reads the schema, persistence-service owns
 * and migrates it, so a missing or older keyspace stops the startup with one line saying so.
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
                    "push-service");
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
    UserStore users(CqlSession session) {
        return new UserStore(session, config.keyspace());
    }

    /** Group names for notification titles (push-service only reads them). */
    @Produces
    @Singleton
    GroupStore groups(CqlSession session) {
        return new GroupStore(session, config.keyspace(), new ConversationIndex(session, config.keyspace()));
    }

    @Produces
    @Singleton
    Watermarks watermarks(CqlSession session) {
        return new Watermarks(session, config.keyspace());
    }

    @Produces
    @Singleton
    PushTargets pushTargets(CqlSession session) {
        return new CassandraPushTargets(session, config.keyspace());
    }
}
