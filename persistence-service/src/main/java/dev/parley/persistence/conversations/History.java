package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import dev.parley.protocol.Seq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pages of a conversation's history by seq (keyset paging: never skip/offset over a growing history).
 * A page is at most {@value #MAX_LIMIT} messages and buckets hold 1000 seqs, so a page reads one or two
 * {@code messages} partitions, plus the conversation's head row for the newest page and for beforeSeq.
 * Every page is a forward range read: with gapless seqs, "the limit messages before N" is the range
 * [N - limit, N - 1].
 */
@ApplicationScoped
public class History {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** The largest seq a JSON client can hold exactly; larger values are refused, not wrapped. */
    public static final long MAX_SEQ = Seq.MAX;

    private final MessageStore messages;
    private final ConversationAccess access;

    History(MessageStore messages, ConversationAccess access) {
        this.messages = messages;
        this.access = access;
    }

    /** The parameters of a history request, validated. {@code beforeSeq} / {@code afterSeq} null when not given. */
    record Query(ConversationId conversation, Long beforeSeq, Long afterSeq, int limit) {
    }

    static Query validate(String id, String beforeSeq, String afterSeq, String limit) {
        List<FieldError> errors = new ArrayList<>();
        ConversationId conversation = ConversationId.parse(id).orElse(null);
        if (conversation == null) {
            errors.add(new FieldError("id", ConversationAccess.ID_RULE));
        }
        Long before = seq("beforeSeq", beforeSeq, 1, errors);
        Long after = seq("afterSeq", afterSeq, 0, errors);
        if (before != null && after != null) {
            String message = "give beforeSeq or afterSeq, not both";
            errors.add(new FieldError("beforeSeq", message));
            errors.add(new FieldError("afterSeq", message));
        }
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            Long parsed = parseLong(limit);
            if (parsed == null || parsed < 1 || parsed > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            } else {
                size = parsed.intValue();
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new Query(conversation, before, after, size);
    }

    CompletionStage<HistoryPage> page(UUID me, Query query) {
        ConversationId conversation = query.conversation();
        AtomicLong firstReadable = new AtomicLong(1);
        return access.requireParticipant(me, conversation).thenCompose(readableAfter -> {
            firstReadable.set(readableAfter + 1);
            String id = conversation.value();
            if (query.afterSeq() != null) {
                return messages.after(id, Math.max(query.afterSeq(), readableAfter), query.limit());
            }
            // The head bounds beforeSeq, so a huge beforeSeq starts at the newest bucket instead of
            // walking empty buckets down to it.
            return messages.headSeq(id).thenCompose(head -> {
                long before = query.beforeSeq() == null ? head + 1 : Math.min(query.beforeSeq(), head + 1);
                if (before <= readableAfter + 1) {
                    return CompletableFuture.completedFuture(List.<StoredMessage>of());
                }
                // Seqs are gapless, so the page just before `before` is the range [before - limit, before - 1]:
                // read forwards, it is one or two partitions in clustering order (no reversed read). The
                // filter drops what lies beyond the range if a seq in it is missing (a write still failing).
                long from = Math.max(readableAfter, before - 1 - query.limit());
                return messages.after(id, from, (int) (before - 1 - from)).thenApply(page ->
                        page.stream().filter(m -> m.seq() < before).toList());
            });
        }).thenApply(page -> new HistoryPage(conversation.value(), page.stream().map(EnvelopeView::of).toList(),
                // Seqs are gapless, so older readable messages exist exactly when the page does not start at
                // the first readable seq.
                !page.isEmpty() && page.get(0).seq() > firstReadable.get()));
    }

    static Long seq(String field, String text, long min, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        Long value = parseLong(text);
        if (value == null || value < min || value > MAX_SEQ) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + MAX_SEQ));
            return null;
        }
        return value;
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
