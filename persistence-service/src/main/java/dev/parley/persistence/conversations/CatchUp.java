package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.SyncRequest;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Catch-up over REST with the semantics of the MQTT one (broker {@code CatchUpHandler}, {@link SyncRequest}):
 * the caller's conversations (the user_conversations index, plus listed 1:1 conversations the caller
 * takes part in), in id order, each from the cursor the device sent (0 when it sent none), oldest first,
 * until the limit; {@code complete} is false when the limit was reached.
 * <p>
 * Cost: one probe read per conversation (in parallel, in windows), then only the conversations with
 * news are read, one or two partitions each, until the page is full: O(conversations + missing),
 * never O(history).
 */
@ApplicationScoped
public class CatchUp {

    /** Probes in flight at once: enough to hide round trips, few enough not to flood the driver's queue. */
    static final int PROBE_WINDOW = 64;

    private final ConversationIndex index;
    private final MessageStore messages;
    private final ConversationAccess access;

    CatchUp(ConversationIndex index, MessageStore messages, ConversationAccess access) {
        this.index = index;
        this.messages = messages;
        this.access = access;
    }

    record Request(Map<ConversationId, Long> cursors, int limit) {
    }

    static Request validate(SyncBody body) {
        if (body == null) {
            throw ProblemException.invalidField("body", "is required: {\"cursors\": {conversationId: last seq held}, "
                    + "\"limit\": 1-" + SyncRequest.MAX_LIMIT + "}");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<ConversationId, Long> cursors = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        if (body.cursors() != null) {
            body.cursors().forEach((key, seq) -> {
                String field = "cursors." + key;
                ConversationId conversation = ConversationId.parse(key).orElse(null);
                if (conversation == null) {
                    errors.add(new FieldError(field, "is not a conversation id: " + ConversationAccess.ID_RULE));
                } else if (seq == null || seq < 0 || seq > History.MAX_SEQ) {
                    errors.add(new FieldError(field, "must be the last seq held, a whole number from 0 to "
                            + History.MAX_SEQ));
                } else {
                    cursors.put(conversation, seq);
                }
            });
        }
        int limit = SyncRequest.DEFAULT_LIMIT;
        if (body.limit() != null) {
            if (body.limit() < 1 || body.limit() > SyncRequest.MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to " + SyncRequest.MAX_LIMIT));
            } else {
                limit = body.limit();
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new Request(cursors, limit);
    }

    /** Validates the body (400 naming each bad field) and answers with the next page of what is missing. */
    public CompletionStage<SyncPage> sync(UUID me, SyncBody body) {
        return sync(me, validate(body));
    }

    CompletionStage<SyncPage> sync(UUID me, Request request) {
        return conversations(me, request).thenCompose(readable -> {
            Map<String, Long> cursors = new TreeMap<>();
            readable.forEach((c, after) -> cursors.put(c,
                    Math.max(after, request.cursors().getOrDefault(new ConversationId(c), 0L))));
            return withNews(new ArrayList<>(readable.keySet()), cursors, 0, new ArrayList<>()).thenCompose(news -> {
                List<StoredMessage> page = new ArrayList<>();
                return read(news, 0, cursors, request.limit(), page).thenApply(v -> new SyncPage(
                        page.stream().map(EnvelopeView::of).toList(), cursors, page.size() < request.limit()));
            });
        });
    }

    /**
     * The index's conversations plus the listed ones the caller may read, sorted by id, each with the seq
     * after which the caller may read it (0 for 1:1; for a group, when they joined).
     */
    private CompletionStage<TreeMap<String, Long>> conversations(UUID me, Request request) {
        return index.conversationsOf(me).thenCompose(indexed -> {
            TreeSet<String> candidates = new TreeSet<>(indexed);
            request.cursors().keySet().forEach(c -> candidates.add(c.value()));
            List<String> ids = new ArrayList<>(candidates);
            // Like the MQTT sync, a conversation the caller may not read is left out, not an error.
            List<CompletableFuture<OptionalLong>> access = ids.stream()
                    .map(c -> this.access.readableAfter(me, new ConversationId(c)).toCompletableFuture()).toList();
            return CompletableFuture.allOf(access.toArray(CompletableFuture[]::new)).thenApply(v -> {
                TreeMap<String, Long> readable = new TreeMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    OptionalLong after = access.get(i).join();
                    if (after.isPresent()) {
                        readable.put(ids.get(i), after.getAsLong());
                    }
                }
                return readable;
            });
        });
    }

    /** The conversations that have a message after their cursor, in order; probed {@value #PROBE_WINDOW} at a time. */
    private CompletionStage<List<String>> withNews(List<String> all, Map<String, Long> cursors, int from,
                                                   List<String> news) {
        if (from >= all.size()) {
            return CompletableFuture.completedFuture(news);
        }
        List<String> window = all.subList(from, Math.min(all.size(), from + PROBE_WINDOW));
        List<CompletableFuture<Boolean>> probes = window.stream()
                .map(c -> messages.after(c, cursors.get(c), 1).thenApply(next -> !next.isEmpty()).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            for (int i = 0; i < window.size(); i++) {
                if (probes.get(i).join()) {
                    news.add(window.get(i));
                }
            }
            return withNews(all, cursors, from + window.size(), news);
        });
    }

    /** Conversation by conversation until the page is full; cursors move to the last seq read. */
    private CompletionStage<Void> read(List<String> news, int at, Map<String, Long> cursors, int limit,
                                       List<StoredMessage> page) {
        if (at >= news.size() || page.size() >= limit) {
            return CompletableFuture.completedFuture(null);
        }
        String conversation = news.get(at);
        return messages.after(conversation, cursors.get(conversation), limit - page.size()).thenCompose(read -> {
            page.addAll(read);
            if (!read.isEmpty()) {
                cursors.put(conversation, read.get(read.size() - 1).seq());
            }
            return read(news, at + 1, cursors, limit, page);
        });
    }
}
