package dev.parley.store.accounts;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.parley.store.Pages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The {@code devices} table (V003, push registration V007): which devices a user logged in from, which
 * token of each may still be refreshed, and where to push to each. Every call is asynchronous and never
 * blocks its caller.
 */
public final class DeviceStore {

    private final CqlSession session;
    private final PreparedStatement login;
    private final PreparedStatement firstSeen;
    private final PreparedStatement rotate;
    private final PreparedStatement revoke;
    private final PreparedStatement find;
    private final PreparedStatement all;
    private final PreparedStatement registerPush;
    private final PreparedStatement unregisterPush;
    private final PreparedStatement forgetDeadToken;

    /** The outcome of {@link #registerPush}. */
    public enum PushRegistration {
        REGISTERED,
        /** The user never logged in from this device. */
        NO_SUCH_DEVICE,
        /** The device is logged out; it must log in again before it can receive pushes. */
        LOGGED_OUT
    }

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
        // Logout also drops the push registration, in the same row write: a logged-out device is never pushed to.
        this.revoke = session.prepare("UPDATE " + table + " SET token_id = null, revoked = true, revoked_at = ?, "
                + "platform = null, push_token = null, push_token_updated_at = null "
                + "WHERE user_id = ? AND device_id = ? IF EXISTS");
        String columns = "user_id, device_id, created_at, last_login_at, token_id, revoked, revoked_at, platform, "
                + "push_token, push_token_updated_at";
        this.find = session.prepare("SELECT " + columns + " FROM " + table + " WHERE user_id = ? AND device_id = ?");
        this.all = session.prepare("SELECT " + columns + " FROM " + table + " WHERE user_id = ?");
        // A compare-and-set on the login state, so a registration cannot slip in after (or race) a logout,
        // and a device that never logged in gets no row.
        this.registerPush = session.prepare("UPDATE " + table + " SET platform = ?, push_token = ?, "
                + "push_token_updated_at = ? WHERE user_id = ? AND device_id = ? IF revoked = false");
        this.unregisterPush = session.prepare("UPDATE " + table + " SET platform = null, push_token = null, "
                + "push_token_updated_at = null WHERE user_id = ? AND device_id = ? IF EXISTS");
        // Only the dead token goes, never one the device registered meanwhile; an LWT is affordable here:
        // it runs once per token the push service reports dead, not per push.
        this.forgetDeadToken = session.prepare("UPDATE " + table + " SET platform = null, push_token = null, "
                + "push_token_updated_at = null WHERE user_id = ? AND device_id = ? IF push_token = ?");
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

    /** Every device of the user, logged in or not, in device id order. */
    public CompletionStage<List<DeviceRecord>> devicesOf(UUID userId) {
        return Pages.all(session.executeAsync(all.bind(userId)), DeviceStore::toRecord);
    }

    /**
     * Sets (or replaces) the device's push registration, if the device is logged in. {@code platform} is
     * stored as given; callers validate it.
     */
    public CompletionStage<PushRegistration> registerPush(UUID userId, String deviceId, String platform,
                                                          String pushToken, Instant at) {
        return session.executeAsync(registerPush.bind(platform, pushToken, at, userId, deviceId)).thenApply(rs -> {
            if (rs.wasApplied()) {
                return PushRegistration.REGISTERED;
            }
            // Not applied: the row's current revoked value comes back, or no column at all without a row.
            Row current = rs.one();
            boolean exists = current != null && current.getColumnDefinitions().contains("revoked")
                    && !current.isNull("revoked");
            return exists ? PushRegistration.LOGGED_OUT : PushRegistration.NO_SUCH_DEVICE;
        });
    }

    /** Removes the device's push registration; false when the user never logged in from this device. */
    public CompletionStage<Boolean> unregisterPush(UUID userId, String deviceId) {
        return session.executeAsync(unregisterPush.bind(userId, deviceId)).thenApply(rs -> rs.wasApplied());
    }

    /** Removes a token the push service found dead, unless the device has registered another since. */
    public CompletionStage<Boolean> forgetDeadToken(UUID userId, String deviceId, String deadToken) {
        return session.executeAsync(forgetDeadToken.bind(userId, deviceId, deadToken)).thenApply(rs -> rs.wasApplied());
    }

    /**
     * Where to push for a user: the logged-in devices that registered a push token, in one partition
     * read. What push-service reads for a user with no device online.
     */
    public CompletionStage<List<PushTarget>> pushTargets(UUID userId) {
        return devicesOf(userId).thenApply(devices -> devices.stream()
                // Logout clears the token already; filtering on revoked too means a revoked device is
                // never a target, whatever a row holds.
                .filter(d -> !d.revoked() && d.pushToken() != null)
                .map(d -> new PushTarget(d.deviceId(), d.platform(), d.pushToken()))
                .toList());
    }

    private static DeviceRecord toRecord(Row row) {
        return new DeviceRecord(row.getUuid("user_id"), row.getString("device_id"), row.getInstant("created_at"),
                row.getInstant("last_login_at"), row.getString("token_id"), row.getBoolean("revoked"),
                row.getInstant("revoked_at"), row.getString("platform"), row.getString("push_token"),
                row.getInstant("push_token_updated_at"));
    }
}
