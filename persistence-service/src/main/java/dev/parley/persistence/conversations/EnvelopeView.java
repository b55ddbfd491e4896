package dev.parley.persistence.conversations;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.store.messages.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A stored message in the envelope form every device receives over MQTT ({@code dev.parley.protocol.Envelope}),
 * so a client parses history, catch-up and live messages with one type.
 */
@Schema(name = "Envelope", description = "A stored message, exactly as devices receive it over MQTT")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvelopeView(
        @Schema(required = true, description = "Server-assigned message id") UUID id,
        @Schema(required = true, example = "dm:0b6f2b1e-5c1d-4a8e-9f3a-2c4d6e8f0a1b:9816c3a0-7e2f-4b5a-8c9d-0e1f2a3b4c5d") String conversationId,
        @Schema(required = true, description = "The message's place in its conversation: 1, 2, 3, ... without gaps",
                example = "17") long seq,
        @Schema(required = true, description = "The sender") UUID from,
        @Schema(description = "The recipient of a 1:1 message; absent for group messages") UUID to,
        @Schema(description = "The group of a group message; absent for 1:1 messages") UUID groupId,
        @Schema(required = true, description = "1-1000 characters") String text,
        @Schema(required = true, description = "The sending device's own id for the send") String clientMsgId,
        @Schema(required = true, description = "When the broker stored it (UTC)") Instant sentAt,
        @Schema(description = "Only for system messages (a member joined or left, the group was renamed): what "
                + "happened, as in the group.changed event; from is then who did it and text is empty")
        GroupChange event) {

    public static EnvelopeView of(StoredMessage m) {
        // The same conversion as the broker's envelopes (EnvelopeDelivery), so both forms are equal.
        GroupChange event = m.event() == null ? null
                : Payloads.fromJson(m.event().getBytes(StandardCharsets.UTF_8), GroupChange.class);
        return new EnvelopeView(m.messageId(), m.conversationId(), m.seq(), m.sender(), m.recipient(), m.groupId(),
                m.text(), m.clientMsgId(), m.sentAt(), event);
    }
}
