package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.ConversationId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may read a conversation: for {@code dm:{a}:{b}} the two users named in the id (the id is derived
 * from them, so no lookup is needed); for {@code g:{groupId}} the group's members.
 */
@ApplicationScoped
public class ConversationAccess {

    static final String ID_RULE = "must be a conversation id: dm:{smallerUserId}:{largerUserId} or g:{groupId}";

    /** The conversation id in {@code text}, or a validation problem naming {@code field}. */
    public static ConversationId parse(String field, String text) {
        return ConversationId.parse(text).orElseThrow(() -> ProblemException.invalidField(field, ID_RULE));
    }

    public CompletionStage<Boolean> isParticipant(UUID user, ConversationId conversation) {
        if (conversation.isDirect()) {
            return CompletableFuture.completedFuture(conversation.hasParticipant(user));
        }
        // Group membership lives in the groups feature's store, which this service does not have yet:
        // until then nobody may read a group's history here (deny by default).
        return CompletableFuture.completedFuture(false);
    }

    /** Completes normally when {@code user} may read {@code conversation}, with a 403 problem otherwise. */
    public CompletionStage<Void> requireParticipant(UUID user, ConversationId conversation) {
        return isParticipant(user, conversation).thenAccept(allowed -> {
            if (!allowed) {
                throw ProblemException.of(ProblemType.NOT_A_PARTICIPANT,
                        "You are not a participant of " + conversation.value());
            }
        });
    }
}
