package dev.parley.client.outbox;

import dev.parley.protocol.ConversationId;
import java.util.UUID;

/** Where a send goes: one user (1:1) or a group. */
public record Destination(Kind kind, UUID id) {

    public enum Kind {
        user, group
    }

    public static Destination user(UUID userId) {
        return new Destination(Kind.user, userId);
    }

    public static Destination group(UUID groupId) {
        return new Destination(Kind.group, groupId);
    }

    /** The MQTT topic a send to this destination is published to. */
    public String topic() {
        return (kind == Kind.user ? "users/" : "groups/") + id + "/messages";
    }

    /** The MQTT topic a typing update for this destination is published to. */
    public String typingTopic() {
        return (kind == Kind.user ? "users/" : "groups/") + id + "/typing";
    }

    /** The conversation a send from {@code me} to here belongs to (the broker derives the same). */
    public ConversationId conversation(UUID me) {
        return kind == Kind.user ? ConversationId.direct(me, id) : ConversationId.group(id);
    }
}
