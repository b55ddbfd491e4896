package dev.parley.store.accounts;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The {@code devices} table (V003): which devices a user logged in from and which token of each may
 * still be refreshed. Every call is asynchronous and never blocks its caller.
 */
public final class DeviceStore {

    private final CqlSession session;
    private final PreparedStatement login;
    private final PreparedStatement firstSeen;
    private final PreparedStatement rotate;
    private final PreparedStatement revoke;
    private final PreparedStatement find;

    public DeviceStore(CqlSession session, String keyspace) {
        this.session = session;
        String table = keyspace + ".devices";
        this.login = session.prepare("UPDATE " + table + " SET last_login_at = ?, token_id = ?, revoked = false, "
                + "revoked_at = null WHERE user_id = ? AND device_id = ?");
        // Cassandra keeps the value with the highest write timestamp; inverting the timestamp makes the
        // earliest login's created_at win without a read or a lightweight transaction.
        this.firstSeen = session.prepare("UPDATE " + table + " USING TIMESTAMP ? SET created_at = ? "
                + "WHERE user_id = ? AND device_id = ?");
        this.rotate = session.prepare("UPDATE " + table + " SET token_id = ? WHERE user_id = ? AND device_id = ? "
                + "IF token_id = ?");
        this.revoke = session.prepare("UPDATE " + table + " SET token_id = null, revoked = true, revoked_at = ? "
                + "WHERE user_id = ? AND device_id = ? IF EXISTS");
        this.find = session.prepare("SELECT user_id, device_id, created_at, last_login_at, token_id, revoked, "
                + "revoked_at FROM " + table + " WHERE user_id = ? AND device_id = ?");
    }

    /**
     * Records a login: the device exists (created at its first login), is not revoked, and
     * {@code tokenId} is the one token of it that may be refreshed. One partition, so the unlogged
     * batch is a single atomic mutation.
     */
    public CompletionStage<Void> recordLogin(UUID userId, String deviceId, String tokenId, Instant at) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000L;
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED,
                login.bind(at, tokenId, userId, deviceId),
                firstSeen.bind(Long.MAX_VALUE - micros, at, userId, deviceId));
        return session.executeAsync(batch).thenApply(rs -> null);
    }

    /**
     * Replaces the refreshable token {@code currentTokenId} with {@code nextTokenId}; false when
     * {@code currentTokenId} is no longer the device's (revoked, logged in again, or already refreshed).
     * A compare-and-set, so one token is refreshed at most once even by concurrent requests.
     */
    public CompletionStage<Boolean> rotateToken(UUID userId, String deviceId, String currentTokenId, String nextTokenId) {
        return session.executeAsync(rotate.bind(nextTokenId, userId, deviceId, currentTokenId))
                .thenApply(rs -> rs.wasApplied());
    }

    /** Ends the device's session; false when the user never logged in from this device. */
    public CompletionStage<Boolean> revoke(UUID userId, String deviceId, Instant at) {
        return session.executeAsync(revoke.bind(at, userId, deviceId)).thenApply(rs -> rs.wasApplied());
    }

    public CompletionStage<Optional<DeviceRecord>> find(UUID userId, String deviceId) {
        return session.executeAsync(find.bind(userId, deviceId))
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(DeviceStore::toRecord));
    }

    private static DeviceRecord toRecord(Row row) {
        return new DeviceRecord(row.getUuid("user_id"), row.getString("device_id"), row.getInstant("created_at"),
                row.getInstant("last_login_at"), row.getString("token_id"), row.getBoolean("revoked"),
                row.getInstant("revoked_at"));
    }
}
