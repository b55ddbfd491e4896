package dev.parley.client;

import java.util.UUID;

/**
 * A change of a group I am in (or was in until this change): {@code kind} is created, joined, added,
 * left, removed, promoted, demoted or renamed; {@code user} whom it was about (may be null), {@code actor}
 * who made it; {@code seq} its system message in the group's history.
 */
public record GroupEvent(UUID groupId, String conversationId, long seq, String kind, UUID user, UUID actor) {
}
