package dev.parley.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the keyspace to the schema this build knows. Run at startup by the service of record
 * (persistence-service); every other component only {@link #verify() verifies}.
 *
 * <p>Concurrent starts of several service instances are serialised by a lease row claimed with a
 * lightweight transaction; each migration is idempotent, so a crash half way is repaired by the next
 * start. A keyspace whose schema is newer than this build is refused, never downgraded. The keyspace's
 * replication is set when it is created and never altered here: a different configured one is only warned about.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final int LEASE_SECONDS = 120;

    private final CqlSession session;
    private final String keyspace;
    private final Replication replication;
    private final List<Migration> migrations;

    public SchemaMigrator(CqlSession session, String keyspace, Replication replication) {
        this(session, keyspace, replication, Migrations.ALL);
    }

    SchemaMigrator(CqlSession session, String keyspace, Replication replication, List<Migration> migrations) {
        this.session = session;
        this.keyspace = keyspace;
        this.replication = replication;
        this.migrations = List.copyOf(migrations);
    }

    /** Schema changes wait for every node to agree on the schema: far slower than a query on a busy node. */
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

    private void ddl(String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    }

    /** The schema version this build needs. */
    public static int requiredVersion() {
        return Migrations.latest();
    }

    /** Applies what is missing and returns the versions it applied (empty when already current). */
    public List<Integer> migrate(Duration lockWait) {
        ddl("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication.toCql());
        replicationMismatch().ifPresent(LOG::warn);
        ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations ("
                + "scope text, version int, description text, applied_at timestamp,"
                + " PRIMARY KEY (scope, version)) WITH CLUSTERING ORDER BY (version DESC)");
        ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_lock (name text PRIMARY KEY, owner uuid)");

        UUID owner = UUID.randomUUID();
        acquireLock(owner, lockWait);
        try {
            int current = currentVersion();
            refuseIfNewer(current);
            List<Integer> applied = new ArrayList<>();
            for (Migration migration : migrations) {
                if (migration.version() <= current) {
                    continue;
                }
                LOG.info("Applying schema migration {} ({}) to keyspace {}", migration.version(),
                        migration.description(), keyspace);
                for (String cql : migration.statementsFor(keyspace)) {
                    ddl(cql);
                }
                session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
                        + ".schema_migrations (scope, version, description, applied_at) VALUES ('parley', ?, ?, ?)",
                        migration.version(), migration.description(), Instant.now()));
                applied.add(migration.version());
            }
            if (applied.isEmpty()) {
                LOG.info("Keyspace {} is at schema version {}: nothing to migrate", keyspace, current);
            }
            return applied;
        } finally {
            session.execute(SimpleStatement.newInstance(
                    "DELETE FROM " + keyspace + ".schema_lock WHERE name = 'migrations' IF owner = ?", owner));
        }
    }

    /**
     * For components that use the schema but do not own it: fails with an actionable message unless
     * the keyspace is exactly at the version this build needs.
     */
    public void verify() {
        if (session.getMetadata().getKeyspace(keyspace).isEmpty()) {
            throw new SchemaException("Cassandra has no keyspace '" + keyspace + "': start persistence-service "
                    + "first, it creates and migrates the schema");
        }
        if (session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable("schema_migrations")).isEmpty()) {
            throw new SchemaException("keyspace '" + keyspace + "' has no schema history: start "
                    + "persistence-service first, it migrates the schema");
        }
        int current = currentVersion();
        refuseIfNewer(current);
        if (current < requiredVersion()) {
            throw new SchemaException("keyspace '" + keyspace + "' is at schema version " + current
                    + " but this build needs " + requiredVersion() + ": start the matching persistence-service "
                    + "first, it applies the missing migrations");
        }
    }

    /**
     * Empty when the keyspace's replication is the configured one (or there is no keyspace yet); otherwise a
     * warning naming both. Never acted on: changing replication moves which nodes own the data and needs a
     * repair afterwards, an operator's decision, not a side effect of a service start.
     */
    public Optional<String> replicationMismatch() {
        Row row = session.execute(SimpleStatement.newInstance(
                "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                keyspace.toLowerCase(Locale.ROOT))).one();
        if (row == null) {
            return Optional.empty();
        }
        Map<String, String> actual = row.getMap("replication", String.class, String.class);
        if (replication.matches(actual)) {
            return Optional.empty();
        }
        return Optional.of("keyspace '" + keyspace + "' has replication " + actual + ", not the configured "
                + replication.toText() + "; it is left as it is. To change it: ALTER KEYSPACE " + keyspace
                + " WITH replication = " + replication.toCql() + ", then nodetool repair on every node; otherwise "
                + "configure the replication it has");
    }

    int currentVersion() {
        Row row = session.execute("SELECT version FROM " + keyspace
                + ".schema_migrations WHERE scope = 'parley' LIMIT 1").one();
        return row == null ? 0 : row.getInt("version");
    }

    private void refuseIfNewer(int current) {
        int known = migrations.get(migrations.size() - 1).version();
        if (current > known) {
            throw new SchemaException("keyspace '" + keyspace + "' has schema version " + current
                    + ", newer than this build knows (" + known + "): run a Parley release that is at least "
                    + "as new as the one that migrated it; this build will not touch a newer schema");
        }
    }

    private void acquireLock(UUID owner, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            ResultSet claim = session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
                    + ".schema_lock (name, owner) VALUES ('migrations', ?) IF NOT EXISTS USING TTL "
                    + LEASE_SECONDS, owner));
            if (claim.wasApplied()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new SchemaException("another instance has held the schema migration lock of keyspace '"
                        + keyspace + "' for over " + wait.toSeconds() + " s; if none is running, the lock "
                        + "expires by itself within " + LEASE_SECONDS + " s");
            }
            LOG.info("Waiting for another instance to finish migrating keyspace {}", keyspace);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaException("interrupted while waiting for the schema migration lock", e);
            }
        }
    }
}
