package dev.parley.store.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code messages}, {@code sends} and {@code conversation_heads} tables. Every call is asynchronous.
 *
 * <p>Appending writes three rows with plain inserts (no lightweight transaction, one unlogged batch): the message, the
 * send's dedupe record and the conversation head. The caller (the conversation's owner) has already
 * chosen the seq; the epoch of its lease is the write timestamp of message and send rows, so a late
 * write of a former owner can never win over the current owner's row for the same seq.
 */
public final class MessageStore {

    private final CqlSession session;
    private final PreparedStatement insertMessage;
    private final PreparedStatement insertSend;
    private final PreparedStatement updateHead;
    private final PreparedStatement selectSend;
    private final PreparedStatement selectHead;
    private final PreparedStatement selectAfter;
    private final PreparedStatement selectAt;
    private final PreparedStatement selectBefore;
    /** Reads of {@code messages} partitions (one per query), so tests and metrics can see what a page costs. */
    private final LongAdder messagePartitionReads = new LongAdder();

    public MessageStore(CqlSession session, String keyspace) {
        this.session = session;
        this.insertMessage = session.prepare("INSERT INTO " + keyspace + ".messages (conversation_id, bucket, seq, "
                + "message_id, sender, recipient, group_id, text, client_msg_id, sent_at, event) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        this.insertSend = session.prepare("INSERT INTO " + keyspace + ".sends (sender, client_msg_id, conversation_id, "
                + "seq, message_id) VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ?");
        this.updateHead = session.prepare("UPDATE " + keyspace + ".conversation_heads USING TIMESTAMP ? "
                + "SET last_seq = ? WHERE conversation_id = ?");
        this.selectSend = session.prepare("SELECT conversation_id, seq, message_id FROM " + keyspace
                + ".sends WHERE sender = ? AND client_msg_id = ?");
        this.selectHead = session.prepare("SELECT last_seq FROM " + keyspace
                + ".conversation_heads WHERE conversation_id = ?");
        String columns = "conversation_id, seq, message_id, sender, recipient, group_id, text, client_msg_id, sent_at, event";
        this.selectAfter = session.prepare("SELECT " + columns + " FROM " + keyspace
                + ".messages WHERE conversation_id = ? AND bucket = ? AND seq > ? ORDER BY seq ASC LIMIT ?");
        this.selectBefore = session.prepare("SELECT " + columns + " FROM " + keyspace
                + ".messages WHERE conversation_id = ? AND bucket = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
        this.selectAt = session.prepare("SELECT " + columns + " FROM " + keyspace
                + ".messages WHERE conversation_id = ? AND bucket = ? AND seq = ?");
    }

    /**
     * Stores a message the owner has sequenced. Completes when all three rows are written at the
     * session's consistency level (LOCAL_QUORUM); fails if any write fails, in which case the message
     * must be treated as not stored (and written again with the same values).
     *
     * <p>The three rows go as one unlogged batch: one request instead of three, which is most of what a
     * write costs both the broker and Cassandra at these row sizes (measured with {@code ./parley bench
     * --jfr}). Unlogged, because the batch log would buy atomicity the caller does not need: a failed
     * append is retried whole at the same seq.
     *
     * @param epoch the owner's lease epoch, the fencing token
     */
    public CompletionStage<Void> append(StoredMessage m, long epoch) {
        BatchStatement rows = BatchStatement.newInstance(DefaultBatchType.UNLOGGED,
                insertMessage.bind(m.conversationId(), Buckets.of(m.seq()), m.seq(), m.messageId(), m.sender(),
                        m.recipient(), m.groupId(), m.text(), m.clientMsgId(), m.sentAt(), m.event(), epoch),
                insertSend.bind(m.sender(), m.clientMsgId(), m.conversationId(), m.seq(), m.messageId(), epoch),
                updateHead.bind(m.seq(), m.seq(), m.conversationId()));
        return session.executeAsync(rows).thenApply(rs -> null);
    }

    public CompletionStage<Optional<SendRecord>> findSend(UUID sender, String clientMsgId) {
        return session.executeAsync(selectSend.bind(sender, clientMsgId)).thenApply(rs -> Optional.ofNullable(rs.one())
                .map(r -> new SendRecord(r.getString("conversation_id"), r.getLong("seq"), r.getUuid("message_id"))));
    }

    public CompletionStage<Optional<StoredMessage>> at(String conversationId, long seq) {
        messagePartitionReads.increment();
        return session.executeAsync(selectAt.bind(conversationId, Buckets.of(seq), seq))
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(MessageStore::toMessage));
    }

    /**
     * The conversation's head: the seq of its newest acknowledged message (0 when it has none), one
     * single-row read. It can lag {@link #lastSeq} only while a write of the newest message is failing,
     * and such a message was never acknowledged to its sender; readers of history use this, the owner
     * that assigns seqs uses {@link #lastSeq}.
     */
    public CompletionStage<Long> headSeq(String conversationId) {
        return session.executeAsync(selectHead.bind(conversationId)).thenApply(rs -> {
            Row row = rs.one();
            return row == null ? 0L : row.getLong("last_seq");
        });
    }

    /** How many {@code messages} partitions this store has read since it was created. */
    public long messagePartitionReads() {
        return messagePartitionReads.sum();
    }

    /**
     * The highest seq stored in a conversation (0 when it has none). Reads the head, then looks past
     * it in its bucket and the next, because a head write may have failed after its message landed.
     */
    public CompletionStage<Long> lastSeq(String conversationId) {
        return session.executeAsync(selectHead.bind(conversationId)).thenCompose(rs -> {
            Row row = rs.one();
            long head = row == null ? 0 : row.getLong("last_seq");
            return after(conversationId, head, 2 * Buckets.SIZE)
                    .thenApply(newer -> newer.isEmpty() ? head : newer.get(newer.size() - 1).seq());
        });
    }

    /**
     * Up to {@code limit} messages with seq greater than {@code afterSeq}, oldest first, reading only
     * the buckets the answer lies in.
     */
    public CompletionStage<List<StoredMessage>> after(String conversationId, long afterSeq, int limit) {
        List<StoredMessage> page = new ArrayList<>();
        return afterFrom(conversationId, afterSeq, Buckets.of(afterSeq + 1), limit, page).thenApply(v -> page);
    }

    private CompletionStage<Void> afterFrom(String conversationId, long afterSeq, long bucket, int limit,
                                            List<StoredMessage> page) {
        messagePartitionReads.increment();
        return session.executeAsync(selectAfter.bind(conversationId, bucket, afterSeq, limit - page.size()))
                .thenCompose(rs -> {
                    long last = afterSeq;
                    for (Row row : rs.currentPage()) {
                        StoredMessage m = toMessage(row);
                        page.add(m);
                        last = m.seq();
                    }
                    // Seqs are gapless: the next bucket can only hold more if this one was full to its end.
                    if (page.size() < limit && last == Buckets.lastSeqOf(bucket)) {
                        return afterFrom(conversationId, last, bucket + 1, limit, page);
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }

    /** Up to {@code limit} messages with seq below {@code beforeSeq}, newest first. */
    public CompletionStage<List<StoredMessage>> before(String conversationId, long beforeSeq, int limit) {
        List<StoredMessage> page = new ArrayList<>();
        if (beforeSeq <= 1) {
            return CompletableFuture.completedFuture(page);
        }
        return beforeFrom(conversationId, beforeSeq, Buckets.of(beforeSeq - 1), limit, page).thenApply(v -> page);
    }

    private CompletionStage<Void> beforeFrom(String conversationId, long beforeSeq, long bucket, int limit,
                                             List<StoredMessage> page) {
        messagePartitionReads.increment();
        return session.executeAsync(selectBefore.bind(conversationId, bucket, beforeSeq, limit - page.size()))
                .thenCompose(rs -> {
                    for (Row row : rs.currentPage()) {
                        page.add(toMessage(row));
                    }
                    if (page.size() < limit && bucket > 0) {
                        return beforeFrom(conversationId, beforeSeq, bucket - 1, limit, page);
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static StoredMessage toMessage(Row row) {
        return new StoredMessage(row.getUuid("message_id"), row.getString("conversation_id"), row.getLong("seq"),
                row.getUuid("sender"), row.getUuid("recipient"), row.getUuid("group_id"), row.getString("text"),
                row.getString("client_msg_id"), row.getInstant("sent_at"), row.getString("event"));
    }
}
