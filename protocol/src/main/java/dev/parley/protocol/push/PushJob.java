package dev.parley.protocol.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored message whose recipients may need a push notification: the broker appends one per stored
 * chat message to {@link PushChannels#jobsStream}; push-service decides per recipient (no device
 * online) and sends. {@code recipients} excludes the sender; {@code preview} is at most
 * {@link #PREVIEW_LENGTH} characters of the text (push-service may leave it out for privacy).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushJob(UUID messageId, String conversationId, long seq, UUID from, UUID groupId,
                      List<UUID> recipients, String preview, Instant sentAt) {

    public static final int PREVIEW_LENGTH = 80;

    public PushJob {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(from, "from");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(sentAt, "sentAt");
    }

    /** The first {@link #PREVIEW_LENGTH} code points of a text, never splitting a surrogate pair. */
    public static String previewOf(String text) {
        if (text.codePointCount(0, text.length()) <= PREVIEW_LENGTH) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, PREVIEW_LENGTH));
    }
}
