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

    Conversations(ConversationIndex index, MessageStore messages, Watermarks watermarks) {
        this.index = index;
        this.messages = messages;
        this.watermarks = watermarks;
    }

    /** Newest activity first; conversations without a message last. */
    public CompletionStage<List<ConversationView>> of(UUID me) {
        return index.conversationsOf(me).thenCompose(ids -> {
            List<CompletableFuture<ConversationView>> views = ids.stream()
                    .map(id -> view(me, id).toCompletableFuture()).toList();
            return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<ConversationView> list = new ArrayList<>(views.stream().map(CompletableFuture::join).toList());
                list.sort(Comparator.comparing((ConversationView c) -> c.lastMessage() == null ? null
                                : c.lastMessage().sentAt(), Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(ConversationView::conversationId));
                return list;
            });
        });
    }

    private CompletionStage<ConversationView> view(UUID me, String id) {
        CompletableFuture<Long> head = messages.headSeq(id).toCompletableFuture();
        CompletableFuture<Optional<StoredMessage>> last = head.thenCompose(seq -> seq == 0
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
                groupId = UUID.fromString(id.substring("g:".length()));
                participants.addAll(delivered.join().keySet());
                participants.addAll(read.join().keySet());
            }
            List<ReceiptView> receipts = participants.stream().map(user -> new ReceiptView(user,
                    delivered.join().getOrDefault(user, 0L), read.join().getOrDefault(user, 0L))).toList();
            long unread = Math.max(0, lastSeq - read.join().getOrDefault(me, 0L));
            return new ConversationView(id, peer, groupId, lastSeq, newest.map(EnvelopeView::of).orElse(null), unread,
                    receipts);
        });
    }
}
