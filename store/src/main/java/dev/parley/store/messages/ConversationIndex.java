package dev.parley.store.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code user_conversations} table: which 1:1 conversations a user has. Written once per
 * conversation, with its first message; read by catch-up to find conversations a device has not
 * heard of yet.
 */
public final class ConversationIndex {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement byUser;

    public ConversationIndex(CqlSession session, String keyspace) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO " + keyspace + ".user_conversations (user_id, conversation_id, "
                + "peer, started_at) VALUES (?, ?, ?, ?)");
        this.byUser = session.prepare("SELECT conversation_id FROM " + keyspace
                + ".user_conversations WHERE user_id = ?");
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
        return session.executeAsync(byUser.bind(user)).thenCompose(rs -> collect(rs, new ArrayList<>()));
    }

    private static CompletionStage<List<String>> collect(
            com.datastax.oss.driver.api.core.cql.AsyncResultSet rs, List<String> into) {
        for (Row row : rs.currentPage()) {
            into.add(row.getString("conversation_id"));
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, into));
        }
        return CompletableFuture.completedFuture(into);
    }
}
