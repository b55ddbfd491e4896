package dev.parley.persistence.friends;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.store.friends.FriendStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Created at startup: the store prepares statements in its constructor (blocking round trips). */
@Singleton
final class FriendStoreProducer {

    @Produces
    @Singleton
    @Startup
    FriendStore friendStore(CqlSession session, CassandraConfig config) {
        return new FriendStore(session, config.keyspace());
    }
}
