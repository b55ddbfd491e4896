package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catch-up: what a device publishes to {@code users/{me}/sync}:
 * {@code {"requestId": "...", "cursors": {"dm:a:b": 17, ...}, "limit": 500}} — for each conversation
 * the last seq it holds (a conversation it does not list counts as 0, so new conversations come too).
 * The broker answers that device alone: the missing envelopes on {@code users/{me}/messages}, oldest
 * first per conversation, then a {@link SyncResult} on {@code users/{me}/events}.
 */
public record SyncRequest(String requestId, Map<ConversationId, Long> cursors, int limit) {

    public static final int DEFAULT_LIMIT = 200;
    /**
     * At most this many envelopes per answer: the broker queues at most 1,000 messages per client and
     * drops the rest, so a page stays well below that, live messages included. A device asks for the
     * next page after the "sync" event of the previous one, which paces the answer to its reading.
     */
    public static final int MAX_LIMIT = 500;

    public SyncRequest {
        cursors = Map.copyOf(cursors);
    }

    public long cursor(ConversationId conversation) {
        return cursors.getOrDefault(conversation, 0L);
    }

    public static SyncRequest parse(ByteBuffer payload) throws InvalidPayloadException {
        JsonNode json = Payloads.jsonObject(payload);
        JsonNode id = json.get("requestId");
        if (id != null && !(id.isTextual() && id.asText().length() <= 64)) {
            throw new InvalidPayloadException("requestId must be a string of at most 64 characters");
        }
        Map<ConversationId, Long> cursors = new LinkedHashMap<>();
        JsonNode given = json.get("cursors");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw new InvalidPayloadException("cursors must be an object {conversationId: last seq held}");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = given.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                ConversationId conversation = ConversationId.parse(field.getKey()).orElseThrow(() ->
                        new InvalidPayloadException("cursors: '" + field.getKey() + "' is not a conversation id"));
                if (!field.getValue().isIntegralNumber() || !field.getValue().canConvertToLong()
                        || field.getValue().asLong() < 0 || field.getValue().asLong() > Seq.MAX) {
                    throw new InvalidPayloadException("cursors: the seq for " + field.getKey()
                            + " must be a whole number from 0 to " + Seq.MAX);
                }
                cursors.put(conversation, field.getValue().asLong());
            }
        }
        int limit = DEFAULT_LIMIT;
        JsonNode requested = json.get("limit");
        if (requested != null && !requested.isNull()) {
            if (!requested.isIntegralNumber() || requested.asInt() < 1 || requested.asInt() > MAX_LIMIT) {
                throw new InvalidPayloadException("limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            limit = requested.asInt();
        }
        return new SyncRequest(id == null ? null : id.asText(), cursors, limit);
    }
}
