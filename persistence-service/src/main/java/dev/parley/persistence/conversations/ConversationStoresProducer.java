package dev.parley.persistence.conversations;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.Watermarks;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Created at startup: the stores prepare statements in their constructors (blocking round trips). */
@Singleton
final class ConversationStoresProducer {

    @Produces
    @Singleton
    @Startup
    MessageStore messages(CqlSession session, CassandraConfig config) {
        return new MessageStore(session, config.keyspace());
    }

    @Produces
    @Singleton
    @Startup
    ConversationIndex conversationIndex(CqlSession session, CassandraConfig config) {
        return new ConversationIndex(session, config.keyspace());
    }

    /** Group membership decides who reads a group's conversation. */
    @Produces
    @Singleton
    @Startup
    GroupStore groups(CqlSession session, CassandraConfig config, ConversationIndex index) {
        return new GroupStore(session, config.keyspace(), index);
    }

    @Produces
    @Singleton
    @Startup
    Watermarks watermarks(CqlSession session, CassandraConfig config) {
        return new Watermarks(session, config.keyspace());
    }
}
