package dev.parley.store.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Conversation ownership leases in the {@code conversation_leases} table, claimed and renewed with
 * lightweight transactions. They are rare: a claim when a node first sequences a conversation or takes
 * it over, a renewal when an active lease nears its end.
 *
 * <p>Expiry compares wall clocks of different nodes: the owner stops writing well before its lease
 * ends (see the extension's sequencer), which tolerates clock skew up to that margin.
 */
public final class ConversationLeases {

    private final CqlSession session;
    private final PreparedStatement select;
    private final PreparedStatement insertNew;
    private final PreparedStatement takeOver;
    private final PreparedStatement renew;

    public ConversationLeases(CqlSession session, String keyspace) {
        this.session = session;
        this.select = session.prepare("SELECT owner, epoch, expires_at FROM " + keyspace
                + ".conversation_leases WHERE conversation_id = ?");
        this.insertNew = session.prepare("INSERT INTO " + keyspace + ".conversation_leases (conversation_id, owner, "
                + "epoch, expires_at) VALUES (?, ?, 1, ?) IF NOT EXISTS");
        this.takeOver = session.prepare("UPDATE " + keyspace + ".conversation_leases SET owner = ?, epoch = ?, "
                + "expires_at = ? WHERE conversation_id = ? IF epoch = ?");
        this.renew = session.prepare("UPDATE " + keyspace + ".conversation_leases SET expires_at = ? "
                + "WHERE conversation_id = ? IF owner = ? AND epoch = ?");
    }

    /**
     * Claims the conversation for {@code owner}, with a new epoch, if nobody holds it or the holder's
     * lease has expired. Empty when another owner's lease is still running.
     */
    public CompletionStage<Optional<Lease>> acquire(String conversationId, String owner, Instant now, Duration ttl) {
        Instant expires = now.plus(ttl);
        return session.executeAsync(select.bind(conversationId)).thenCompose(rs -> {
            Row row = rs.one();
            if (row == null) {
                return session.executeAsync(insertNew.bind(conversationId, owner, expires)).thenApply(claim ->
                        claim.wasApplied() ? Optional.of(new Lease(conversationId, owner, 1, expires)) : Optional.empty());
            }
            String holder = row.getString("owner");
            long epoch = row.getLong("epoch");
            Instant holderExpires = row.getInstant("expires_at");
            if (!owner.equals(holder) && holderExpires != null && holderExpires.isAfter(now)) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return session.executeAsync(takeOver.bind(owner, epoch + 1, expires, conversationId, epoch))
                    .thenApply(claim -> claim.wasApplied()
                            ? Optional.of(new Lease(conversationId, owner, epoch + 1, expires))
                            : Optional.empty());
        });
    }

    /** Extends a lease this owner holds; empty when it was lost (another node took over). */
    public CompletionStage<Optional<Lease>> renew(Lease lease, Instant now, Duration ttl) {
        Instant expires = now.plus(ttl);
        return session.executeAsync(renew.bind(expires, lease.conversationId(), lease.owner(), lease.epoch()))
                .thenApply(rs -> rs.wasApplied()
                        ? Optional.of(new Lease(lease.conversationId(), lease.owner(), lease.epoch(), expires))
                        : Optional.empty());
    }

    /** Who holds the conversation now, if anyone (for routing a send to its owner). */
    public CompletionStage<Optional<Lease>> current(String conversationId) {
        return session.executeAsync(select.bind(conversationId)).thenApply(rs -> Optional.ofNullable(rs.one())
                .map(r -> new Lease(conversationId, r.getString("owner"), r.getLong("epoch"), r.getInstant("expires_at"))));
    }
}
