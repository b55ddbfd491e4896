package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;

/**
 * What a reading device publishes to its own {@code users/{me}/receipts}:
 * {@code {"conversationId": "...", "type": "read", "upToSeq": N}} — "I have read everything up to N".
 * "delivered" receipts come from the broker itself (the device's PUBACK), never from a device.
 */
public record ReadMark(ConversationId conversationId, long upToSeq) {

    public static ReadMark parse(ByteBuffer payload) throws InvalidPayloadException {
        JsonNode json = Payloads.jsonObject(payload);
        JsonNode type = json.get("type");
        if (type == null || !type.isTextual()) {
            throw new InvalidPayloadException("type is missing: a device publishes {\"conversationId\", \"type\": \"read\", \"upToSeq\"}");
        }
        if (!type.asText().equals("read")) {
            throw new InvalidPayloadException("type '" + type.asText() + "' cannot be published: devices publish "
                    + "\"read\" receipts; \"delivered\" is recorded by the broker when a device acknowledges a message");
        }
        JsonNode conversation = json.get("conversationId");
        ConversationId id = conversation == null || !conversation.isTextual() ? null
                : ConversationId.parse(conversation.asText()).orElse(null);
        if (id == null) {
            throw new InvalidPayloadException("conversationId is missing or not a conversation id (dm:{a}:{b} or g:{id})");
        }
        JsonNode upTo = json.get("upToSeq");
        if (upTo == null || !upTo.canConvertToLong() || !upTo.isIntegralNumber() || upTo.asLong() < 1) {
            throw new InvalidPayloadException("upToSeq must be a whole number of at least 1");
        }
        return new ReadMark(id, upTo.asLong());
    }
}
