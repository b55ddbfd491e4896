package dev.parley.store.messages;

import java.time.Instant;

/**
 * The right of one broker node to assign a conversation's sequence numbers until {@code expiresAt}.
 * {@code epoch} grows by one with every change of owner; it fences out a former owner's late writes.
 */
public record Lease(String conversationId, String owner, long epoch, Instant expiresAt) {
}
