package dev.parley.protocol;

import java.util.Optional;
import java.util.UUID;

/**
 * The conversation a message belongs to, derived from the topic and the sender, never chosen by a
 * client: {@code dm:{smallerUserId}:{largerUserId}} for two people, {@code g:{groupId}} for a group.
 */
public record ConversationId(String value) {

    public static ConversationId direct(UUID a, UUID b) {
        String x = a.toString();
        String y = b.toString();
        return x.compareTo(y) <= 0 ? new ConversationId("dm:" + x + ":" + y) : new ConversationId("dm:" + y + ":" + x);
    }

    public static ConversationId group(UUID groupId) {
        return new ConversationId("g:" + groupId);
    }

    public static Optional<ConversationId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith("g:")) {
            return Ids.parseUuid(text.substring(2)).map(ConversationId::group);
        }
        if (text.startsWith("dm:")) {
            String[] parts = text.substring(3).split(":", -1);
            if (parts.length == 2) {
                Optional<UUID> a = Ids.parseUuid(parts[0]);
                Optional<UUID> b = Ids.parseUuid(parts[1]);
                if (a.isPresent() && b.isPresent() && parts[0].compareTo(parts[1]) < 0) {
                    return Optional.of(direct(a.get(), b.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** For a group conversation: the group's id; empty for a direct one. */
    public Optional<UUID> groupId() {
        return value.startsWith("g:") ? Ids.parseUuid(value.substring(2)) : Optional.empty();
    }

    public boolean isDirect() {
        return value.startsWith("dm:");
    }

    /** For a direct conversation: the participant that is not {@code me}. */
    public UUID otherParticipant(UUID me) {
        if (!isDirect()) {
            throw new IllegalStateException(value + " is not a direct conversation");
        }
        String[] parts = value.substring(3).split(":");
        UUID a = UUID.fromString(parts[0]);
        UUID b = UUID.fromString(parts[1]);
        return a.equals(me) ? b : a;
    }

    public boolean hasParticipant(UUID user) {
        return hasParticipant(user.toString());
    }

    /** {@link #hasParticipant(UUID)} for a user id already in its text form. */
    public boolean hasParticipant(String userId) {
        return isDirect() && value.contains(userId);
    }

    @Override
    public String toString() {
        return value;
    }
}
