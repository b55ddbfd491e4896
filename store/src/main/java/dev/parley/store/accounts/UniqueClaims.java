package dev.parley.store.accounts;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Values only one user may hold (handle, e-mail, phone), each in its own lookup table keyed by the
 * value. A claim is a lightweight transaction ({@code IF NOT EXISTS}): of any number of concurrent
 * claims of one value exactly one is applied, which a read-then-write could not guarantee.
 */
public final class UniqueClaims {

    /** What is claimed, and the table (V001, V003) that holds the claims. */
    public enum Kind {
        HANDLE("users_by_handle", "handle"),
        EMAIL("users_by_email", "email"),
        PHONE("users_by_phone", "phone");

        private final String table;
        private final String column;

        Kind(String table, String column) {
            this.table = table;
            this.column = column;
        }
    }

    private final CqlSession session;
    private final Kind kind;
    private final PreparedStatement claim;
    private final PreparedStatement release;
    private final PreparedStatement owner;

    public UniqueClaims(CqlSession session, String keyspace, Kind kind) {
        this.session = session;
        this.kind = kind;
        String table = keyspace + "." + kind.table;
        this.claim = session.prepare("INSERT INTO " + table + " (" + kind.column + ", user_id) VALUES (?, ?) IF NOT EXISTS");
        // Conditional on the owner, so releasing never removes a claim another user has since made.
        this.release = session.prepare("DELETE FROM " + table + " WHERE " + kind.column + " = ? IF user_id = ?");
        this.owner = session.prepare("SELECT user_id FROM " + table + " WHERE " + kind.column + " = ?");
    }

    public Kind kind() {
        return kind;
    }

    /** True when {@code userId} now holds {@code value}; false when someone else held it already. */
    public CompletionStage<Boolean> claim(String value, UUID userId) {
        return session.executeAsync(claim.bind(value, userId)).thenApply(rs -> rs.wasApplied());
    }

    /** Gives {@code value} up if {@code userId} still holds it. */
    public CompletionStage<Void> release(String value, UUID userId) {
        return session.executeAsync(release.bind(value, userId)).thenApply(rs -> null);
    }

    /** Who holds {@code value}, if anyone. */
    public CompletionStage<Optional<UUID>> owner(String value) {
        return session.executeAsync(owner.bind(value))
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getUuid("user_id")));
    }
}
