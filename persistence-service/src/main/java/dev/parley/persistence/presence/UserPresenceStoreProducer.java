package dev.parley.persistence.presence;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.store.presence.UserPresenceStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Created at startup: the store prepares statements in its constructor (blocking round trips). */
@Singleton
final class UserPresenceStoreProducer {

    @Produces
    @Singleton
    @Startup
    UserPresenceStore userPresence(CqlSession session, CassandraConfig config) {
        return new UserPresenceStore(session, config.keyspace());
    }
}
