package dev.parley.persistence.conversations;

import dev.parley.persistence.conversations.ConversationView.ReceiptView;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import dev.parley.store.messages.Watermarks;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The caller's chat list: every conversation of theirs (the user_conversations index) with its newest
 * message, their unread count and the receipt watermarks. Per conversation four single-partition reads
 * (head, newest message, delivered and read watermarks), all conversations in parallel.
 */
@ApplicationScoped
public class Conversations {

    private final ConversationIndex index;
    private final MessageStore messages;
    private final Watermarks watermarks;
    private final ConversationAccess access;

    Conversations(ConversationIndex index, MessageStore messages, Watermarks watermarks, ConversationAccess access) {
        this.index = index;
        this.messages = messages;
        this.watermarks = watermarks;
        this.access = access;
    }

    /** Newest activity first; conversations without a message last. */
    public CompletionStage<List<ConversationView>> of(UUID me) {
        return index.conversationsOf(me).thenCompose(ids -> {
            List<CompletableFuture<Optional<ConversationView>>> views = ids.stream()
                    .map(id -> access.readableAfter(me, new ConversationId(id)).thenCompose(after -> after.isPresent()
                            ? view(me, id, after.getAsLong()).thenApply(Optional::of)
                            // Listed but no longer readable (a group being left): not shown.
                            : CompletableFuture.completedFuture(Optional.<ConversationView>empty()))
                            .toCompletableFuture()).toList();
            return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<ConversationView> list = new ArrayList<>(views.stream().map(CompletableFuture::join)
                        .flatMap(Optional::stream).toList());
                list.sort(Comparator.comparing((ConversationView c) -> c.lastMessage() == null ? null
                                : c.lastMessage().sentAt(), Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(ConversationView::conversationId));
                return list;
            });
        });
    }

    /** {@code readableAfter}: a group member sees (and counts as unread) only what was sent after they joined. */
    private CompletionStage<ConversationView> view(UUID me, String id, long readableAfter) {
        CompletableFuture<Long> head = messages.headSeq(id).toCompletableFuture();
        CompletableFuture<Optional<StoredMessage>> last = head.thenCompose(seq -> seq <= readableAfter
                ? CompletableFuture.completedFuture(Optional.<StoredMessage>empty())
                : messages.at(id, seq));
        CompletableFuture<Map<UUID, Long>> delivered = watermarks.of(Watermarks.Kind.DELIVERED, id).toCompletableFuture();
        CompletableFuture<Map<UUID, Long>> read = watermarks.of(Watermarks.Kind.READ, id).toCompletableFuture();
        return CompletableFuture.allOf(last, delivered, read).thenApply(v -> {
            Optional<StoredMessage> newest = last.join();
            long lastSeq = head.join();
            ConversationId conversation = new ConversationId(id);
            TreeSet<UUID> participants = new TreeSet<>();
            UUID peer = null;
            UUID groupId = null;
            if (conversation.isDirect()) {
                peer = conversation.otherParticipant(me);
                participants.add(me);
                participants.add(peer);
            } else {
                groupId = conversation.groupId().orElseThrow();
                participants.addAll(delivered.join().keySet());
                participants.addAll(read.join().keySet());
            }
            List<ReceiptView> receipts = participants.stream().map(user -> new ReceiptView(user,
                    delivered.join().getOrDefault(user, 0L), read.join().getOrDefault(user, 0L))).toList();
            long unread = Math.max(0, lastSeq - Math.max(readableAfter, read.join().getOrDefault(me, 0L)));
            return new ConversationView(id, peer, groupId, lastSeq, newest.map(EnvelopeView::of).orElse(null), unread,
                    receipts);
        });
    }
}
