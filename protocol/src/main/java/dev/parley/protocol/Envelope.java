package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import dev.parley.protocol.groups.GroupChange;
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
 * @param event          for system messages only (a member joined or left, the group was renamed): what
 *                       happened; {@code from} is then who did it and {@code text} is empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(UUID id, String conversationId, long seq, UUID from, UUID to, UUID groupId, String text,
                       String clientMsgId, Instant sentAt, GroupChange event) {

    /** A message a user sent. */
    public Envelope(UUID id, String conversationId, long seq, UUID from, UUID to, UUID groupId, String text,
                    String clientMsgId, Instant sentAt) {
        this(id, conversationId, seq, from, to, groupId, text, clientMsgId, sentAt, null);
    }
}
