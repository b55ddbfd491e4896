package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.protocol.ConversationId;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import dev.parley.store.messages.Watermarks;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * "Who has read message N" from the receipt watermarks alone (no row per message per reader): a
 * participant has read N when their read watermark is at N or beyond, and has it when their delivered
 * watermark is. One read of the message, the two watermark partitions and, for a group, its roster.
 */
@ApplicationScoped
public class MessageReceipts {

    private final MessageStore messages;
    private final Watermarks watermarks;
    private final GroupStore groups;
    private final ConversationAccess access;

    MessageReceipts(MessageStore messages, Watermarks watermarks, GroupStore groups, ConversationAccess access) {
        this.messages = messages;
        this.watermarks = watermarks;
        this.groups = groups;
        this.access = access;
    }

    public CompletionStage<MessageReceiptsView> of(UUID me, ConversationId conversation, long seq) {
        String id = conversation.value();
        return access.requireParticipant(me, conversation)
                .thenCompose(readableAfter -> seq <= readableAfter
                        ? CompletableFuture.failedFuture(noSuchMessage(conversation, seq))
                        : messages.at(id, seq))
                .thenCompose(found -> {
                    StoredMessage message = found.orElseThrow(() -> noSuchMessage(conversation, seq));
                    CompletableFuture<List<UUID>> audience = audienceOf(conversation, message).toCompletableFuture();
                    CompletableFuture<Map<UUID, Long>> delivered = watermarks.of(Watermarks.Kind.DELIVERED, id)
                            .toCompletableFuture();
                    CompletableFuture<Map<UUID, Long>> read = watermarks.of(Watermarks.Kind.READ, id).toCompletableFuture();
                    return CompletableFuture.allOf(audience, delivered, read).thenApply(v -> {
                        List<UUID> readBy = new ArrayList<>();
                        List<UUID> deliveredTo = new ArrayList<>();
                        List<UUID> waitingFor = new ArrayList<>();
                        for (UUID user : audience.join()) {
                            if (read.join().getOrDefault(user, 0L) >= seq) {
                                readBy.add(user);
                            } else if (delivered.join().getOrDefault(user, 0L) >= seq) {
                                deliveredTo.add(user);
                            } else {
                                waitingFor.add(user);
                            }
                        }
                        return new MessageReceiptsView(id, seq, message.sender(), readBy, deliveredTo, waitingFor);
                    });
                });
    }

    /** Everyone the message was for: the other user of a 1:1; a group's members who were there when it was sent. */
    private CompletionStage<List<UUID>> audienceOf(ConversationId conversation, StoredMessage message) {
        if (conversation.isDirect()) {
            return CompletableFuture.completedFuture(List.of(conversation.otherParticipant(message.sender())));
        }
        return groups.roster(conversation.groupId().orElseThrow()).thenApply(roster -> roster
                .map(r -> r.members().stream()
                        .filter(m -> !m.userId().equals(message.sender()) && m.joinedAfterSeq() < message.seq())
                        .map(GroupStore.Member::userId)
                        .sorted()
                        .toList())
                .orElse(List.of()));
    }

    private static ProblemException noSuchMessage(ConversationId conversation, long seq) {
        return ProblemException.notFound("There is no message " + seq + " in " + conversation.value()
                + " that you can see");
    }
}
