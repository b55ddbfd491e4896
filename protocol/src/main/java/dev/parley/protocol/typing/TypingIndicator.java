package dev.parley.protocol.typing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * What a recipient's devices receive on their own {@code users/{me}/typing} (docs/asyncapi.yaml
 * TypingIndicator), made by the broker: {@code from} is the publishing connection's user, never a payload
 * field. Ephemeral: not stored, no seq, not caught up.
 *
 * @param conversationId {@code dm:...} for 1:1, {@code g:{groupId}} for a group
 * @param groupId        set for a group conversation only
 * @param at             when the broker accepted the update (UTC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TypingIndicator(String conversationId, UUID from, UUID groupId, TypingState state, Instant at) {
}
