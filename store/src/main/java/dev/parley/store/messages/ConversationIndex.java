package dev.parley.store.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.parley.store.Pages;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code user_conversations} table: which conversations a user has. A 1:1 conversation is written
 * once, with its first message; a group conversation when the user joins, and removed when they leave.
 * Read by catch-up to find conversations a device has not heard of yet.
 */
public final class ConversationIndex {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement byUser;
    private final PreparedStatement delete;

    public ConversationIndex(CqlSession session, String keyspace) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO " + keyspace + ".user_conversations (user_id, conversation_id, "
                + "peer, started_at) VALUES (?, ?, ?, ?)");
        this.byUser = session.prepare("SELECT conversation_id FROM " + keyspace
                + ".user_conversations WHERE user_id = ?");
        this.delete = session.prepare("DELETE FROM " + keyspace
                + ".user_conversations WHERE user_id = ? AND conversation_id = ?");
    }

    /** Lists a group conversation among the user's conversations (idempotent). */
    public CompletionStage<Void> recordMembership(UUID user, String conversationId, Instant since) {
        return session.executeAsync(insert.bind(user, conversationId, null, since)).thenApply(rs -> null);
    }

    /** Removes a conversation from the user's list, as when they leave a group (idempotent). */
    public CompletionStage<Void> forget(UUID user, String conversationId) {
        return session.executeAsync(delete.bind(user, conversationId)).thenApply(rs -> null);
    }

    /** Records a 1:1 conversation's start for both participants (idempotent). */
    public CompletionStage<Void> recordStart(StoredMessage first) {
        if (first.recipient() == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?> forSender = session.executeAsync(insert.bind(first.sender(), first.conversationId(),
                first.recipient(), first.sentAt())).toCompletableFuture();
        CompletableFuture<?> forRecipient = session.executeAsync(insert.bind(first.recipient(), first.conversationId(),
                first.sender(), first.sentAt())).toCompletableFuture();
        return CompletableFuture.allOf(forSender, forRecipient);
    }

    public CompletionStage<List<String>> conversationsOf(UUID user) {
        return Pages.all(session.executeAsync(byUser.bind(user)), row -> row.getString("conversation_id"));
    }
}
