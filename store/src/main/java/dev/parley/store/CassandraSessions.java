package dev.parley.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Opens driver sessions configured the same way in the broker extension and every service. */
public final class CassandraSessions {

    private CassandraSessions() {
    }

    /**
     * Opens a session not bound to a keyspace, so that migrations can create it; Parley's
     * statements name their keyspace themselves.
     */
    public static CompletionStage<CqlSession> open(CassandraSettings settings, String applicationName) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency().name())
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                // The default 1 s debounce makes every schema change take over a second.
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20))
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                // The default 2 s quiet period makes every close (broker stop, failed start, test) 2 s slower.
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
        return CqlSession.builder()
                .addContactPoints(settings.contactPoints().stream()
                        .map(a -> a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a)
                        .toList())
                .withLocalDatacenter(settings.localDatacenter())
                .withApplicationName(applicationName)
                .withConfigLoader(config)
                .buildAsync();
    }

    /**
     * For a service that only reads the schema persistence-service migrates: opens a session (blocking) and
     * verifies the keyspace is at the version this build needs. A failure is an IllegalStateException whose
     * message is the one line an operator needs; nothing is left open behind it.
     */
    public static CqlSession openVerified(CassandraSettings settings, String service) {
        CqlSession session = null;
        try {
            session = open(settings, "parley-" + service).toCompletableFuture().join();
            new SchemaMigrator(session, settings.keyspace(), settings.replication()).verify();
            return session;
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (session != null) {
                session.forceCloseAsync();
            }
            String where = settings.contactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort())
                    .collect(Collectors.joining(","));
            throw new IllegalStateException(service + " cannot start. Cassandra at " + where + " (keyspace "
                    + settings.keyspace() + ") cannot be used: " + cause.getMessage()
                    + " (check parley.cassandra.contact-points and parley.cassandra.keyspace)");
        }
    }

    /**
     * Closes a service's session at shutdown: requests in flight get {@code grace} to finish; a node that
     * stopped answering does not hold up the shutdown (the session is then forced closed). Returns whether
     * it closed cleanly.
     */
    public static boolean close(CqlSession session, Duration grace) {
        try {
            session.closeAsync().toCompletableFuture().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            session.forceCloseAsync();
            return false;
        }
    }
}
