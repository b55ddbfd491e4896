package dev.parley.push.targets;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Push targets in the {@code devices} table: columns {@code push_token} and {@code push_platform} of
 * {@code (user_id, device_id)}.
 *
 * <p>MERGE NOTE: the device-token store of persistence-service (PUT /v1/me/devices/{deviceId}, its own
 * migration adding these columns, and a {@code pushTargets(userId)} read) is being written on another
 * branch. This class is the only place push-service touches those columns: when both are merged,
 * replace its body with calls to that store class (or align the column names), and drop the
 * {@code ALTER TABLE} the tests run (PushTestSchema).
 */
public final class CassandraPushTargets implements PushTargets {

    private static final Logger LOG = Logger.getLogger(CassandraPushTargets.class);

    private final CqlSession session;
    private final PreparedStatement select;
    private final PreparedStatement forget;

    public CassandraPushTargets(CqlSession session, String keyspace) {
        this.session = session;
        boolean hasTokenColumns = session.getMetadata().getKeyspace(keyspace)
                .flatMap(k -> k.getTable("devices"))
                .map(table -> table.getColumn("push_token").isPresent() && table.getColumn("push_platform").isPresent())
                .orElse(false);
        if (!hasTokenColumns) {
            // Until the device-token migration is in the schema, no device has a token: the service
            // still starts (the dev stack runs it), and says why nothing is pushed.
            LOG.warnf("Table %s.devices has no push_token/push_platform columns (schema without device push tokens): "
                    + "no device can be pushed to until persistence-service has migrated them; restart push-service "
                    + "then", keyspace);
            this.select = null;
            this.forget = null;
            return;
        }
        this.select = session.prepare("SELECT device_id, push_platform, push_token, revoked FROM " + keyspace
                + ".devices WHERE user_id = ?");
        // Compare-and-set: only the dead token is removed, never one the device registered meanwhile.
        // A lightweight transaction is affordable here: it runs once per dead token, not per push.
        this.forget = session.prepare("UPDATE " + keyspace + ".devices SET push_token = null, push_platform = null "
                + "WHERE user_id = ? AND device_id = ? IF push_token = ?");
    }

    @Override
    public CompletionStage<List<Target>> of(UUID user) {
        if (select == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return session.executeAsync(select.bind(user)).thenApply(rs -> {
            // A user has a handful of devices: the first page (5000 rows) holds them all.
            List<Target> targets = new ArrayList<>();
            for (Row row : rs.currentPage()) {
                String token = row.getString("push_token");
                // A logged-out device gets no pushes, whatever token it left behind.
                if (token != null && !token.isBlank() && !row.getBoolean("revoked")) {
                    targets.add(new Target(row.getString("device_id"), row.getString("push_platform"), token));
                }
            }
            return targets;
        });
    }

    @Override
    public CompletionStage<Void> forget(UUID user, String deviceId, String token) {
        if (forget == null) {
            return CompletableFuture.completedFuture(null);
        }
        return session.executeAsync(forget.bind(user, deviceId, token)).thenApply(rs -> null);
    }
}
