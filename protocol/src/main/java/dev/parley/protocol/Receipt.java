package dev.parley.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * A watermark: every message of {@code conversationId} up to and including {@code upToSeq} has been
 * delivered to (or read by) user {@code by}. Watermarks only move forward.
 */
public record Receipt(String conversationId, Type type, long upToSeq, UUID by, Instant at) {

    public enum Type {
        delivered, read
    }
}
