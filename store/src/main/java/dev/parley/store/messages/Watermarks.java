package dev.parley.store.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Receipt watermarks: per conversation and reader, "delivered up to" and "read up to". Each write
 * uses the watermark itself as write timestamp, so a smaller value arriving late never replaces a
 * larger one: watermarks only move forward, without a read before the write.
 */
public final class Watermarks {

    public enum Kind {
        DELIVERED("delivered_watermarks"), READ("read_watermarks");

        private final String table;

        Kind(String table) {
            this.table = table;
        }
    }

    private final CqlSession session;
    private final Map<Kind, PreparedStatement> advance = new HashMap<>();
    private final Map<Kind, PreparedStatement> select = new HashMap<>();

    public Watermarks(CqlSession session, String keyspace) {
        this.session = session;
        for (Kind kind : Kind.values()) {
            advance.put(kind, session.prepare("UPDATE " + keyspace + "." + kind.table
                    + " USING TIMESTAMP ? SET up_to_seq = ? WHERE conversation_id = ? AND user_id = ?"));
            select.put(kind, session.prepare("SELECT user_id, up_to_seq FROM " + keyspace + "." + kind.table
                    + " WHERE conversation_id = ?"));
        }
    }

    public CompletionStage<Void> advance(Kind kind, String conversationId, UUID user, long upToSeq) {
        return session.executeAsync(advance.get(kind).bind(upToSeq, upToSeq, conversationId, user)).thenApply(rs -> null);
    }

    /** Every reader's watermark of one kind in a conversation. */
    public CompletionStage<Map<UUID, Long>> of(Kind kind, String conversationId) {
        return session.executeAsync(select.get(kind).bind(conversationId)).thenApply(rs -> {
            Map<UUID, Long> marks = new HashMap<>();
            for (Row row : rs.currentPage()) {
                marks.put(row.getUuid("user_id"), row.getLong("up_to_seq"));
            }
            return marks;
        });
    }
}
