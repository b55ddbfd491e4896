package dev.parley.broker.messages;

import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/** Group changes as system messages of the group's conversation. */
final class GroupChanges {

    private GroupChanges() {
    }

    /**
     * The system message for a change announced as stream entry {@code entryId}. Its clientMsgId names
     * the entry, so the same change posted twice (a redelivered entry) is stored once.
     */
    static Submission submission(GroupChange change, String entryId) {
        return new Submission(ConversationId.group(change.groupId()).value(), change.actor(), null, change.groupId(),
                "gc:" + change.groupId() + ":" + entryId, "",
                new String(Payloads.toJson(change), StandardCharsets.UTF_8));
    }

    /** Whom a system message's change is about (the member who joined, left, was added or removed). */
    static Optional<UUID> subject(Submission system) {
        return Optional.ofNullable(Payloads.fromJson(system.event().getBytes(StandardCharsets.UTF_8), GroupChange.class).user());
    }
}
