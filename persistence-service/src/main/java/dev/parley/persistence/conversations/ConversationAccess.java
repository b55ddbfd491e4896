package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.ConversationId;
import jakarta.enterprise.context.ApplicationScoped;
import dev.parley.store.groups.GroupStore;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may read a conversation: for {@code dm:{a}:{b}} the two users named in the id (the id is derived
 * from them, so no lookup is needed); for {@code g:{groupId}} the group's current members, and only what
 * was sent after they joined.
 */
@ApplicationScoped
public class ConversationAccess {

    private final GroupStore groups;

    ConversationAccess(GroupStore groups) {
        this.groups = groups;
    }

    static final String ID_RULE = "must be a conversation id: dm:{smallerUserId}:{largerUserId} or g:{groupId}";

    /** The conversation id in {@code text}, or a validation problem naming {@code field}. */
    public static ConversationId parse(String field, String text) {
        return ConversationId.parse(text).orElseThrow(() -> ProblemException.invalidField(field, ID_RULE));
    }

    /**
     * The seq after which {@code user} may read {@code conversation}, or empty when they may not read it:
     * 0 for either user of a 1:1 conversation; for a group, the group's last seq when the member joined
     * (members see what was sent after they joined, GroupStore.Member#joinedAfterSeq). One read of the
     * group's roster partition for groups, none for 1:1.
     */
    public CompletionStage<OptionalLong> readableAfter(UUID user, ConversationId conversation) {
        if (conversation.isDirect()) {
            return CompletableFuture.completedFuture(
                    conversation.hasParticipant(user) ? OptionalLong.of(0) : OptionalLong.empty());
        }
        return groups.roster(conversation.groupId().orElseThrow()).thenApply(roster -> roster.flatMap(r -> r.member(user))
                .map(member -> OptionalLong.of(member.joinedAfterSeq()))
                .orElse(OptionalLong.empty()));
    }

    public CompletionStage<Boolean> isParticipant(UUID user, ConversationId conversation) {
        return readableAfter(user, conversation).thenApply(OptionalLong::isPresent);
    }

    /** The seq after which {@code user} may read {@code conversation}; a 403 problem when they may not read it. */
    public CompletionStage<Long> requireParticipant(UUID user, ConversationId conversation) {
        return readableAfter(user, conversation).thenApply(after -> after.orElseThrow(() -> ProblemException.of(
                ProblemType.NOT_A_PARTICIPANT, "You are not a participant of " + conversation.value())));
    }
}
