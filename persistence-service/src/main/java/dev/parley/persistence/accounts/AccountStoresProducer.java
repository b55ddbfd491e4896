package dev.parley.persistence.accounts;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.store.accounts.DeviceStore;
import dev.parley.store.accounts.UniqueClaims;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Created at startup: the stores prepare statements in their constructors (blocking round trips). */
@Singleton
final class AccountStoresProducer {

    @Produces
    @Singleton
    @Startup
    AccountClaims claims(CqlSession session, CassandraConfig config) {
        return new AccountClaims(
                new UniqueClaims(session, config.keyspace(), UniqueClaims.Kind.HANDLE),
                new UniqueClaims(session, config.keyspace(), UniqueClaims.Kind.EMAIL),
                new UniqueClaims(session, config.keyspace(), UniqueClaims.Kind.PHONE));
    }

    @Produces
    @Singleton
    @Startup
    DeviceStore devices(CqlSession session, CassandraConfig config) {
        return new DeviceStore(session, config.keyspace());
    }
}
