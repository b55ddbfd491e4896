package dev.parley.persistence.users;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.store.users.UserStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@Singleton
final class UserStoreProducer {

    /**
     * Created at startup because the store prepares its statements in its constructor, a blocking
     * round trip that must not happen on the event-loop thread of the first request.
     */
    @Produces
    @Singleton
    @Startup
    UserStore userStore(CqlSession session, CassandraConfig config) {
        return new UserStore(session, config.keyspace());
    }
}
