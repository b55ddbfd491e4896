package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored message as every device of every participant receives it. {@code to} is set for 1:1
 * messages, {@code groupId} for group messages.
 *
 * @param id             server-assigned message id
 * @param seq            the message's place in its conversation: 1, 2, 3, ... without gaps
 * @param from           the sending user (from the MQTT connection, never from the payload)
 * @param clientMsgId    the sending device's id for the send, so that it can match its outbox
 * @param sentAt         when the broker accepted it (UTC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(UUID id, String conversationId, long seq, UUID from, UUID to, UUID groupId, String text,
                       String clientMsgId, Instant sentAt) {
}
