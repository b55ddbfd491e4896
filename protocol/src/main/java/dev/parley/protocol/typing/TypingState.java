package dev.parley.protocol.typing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Payloads;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * What a device says on {@code users/{to}/typing} or {@code groups/{id}/typing} (docs/asyncapi.yaml
 * TypingUpdate): {@code {"state":"typing"}} while the user types, {@code {"state":"paused"}} when they stop
 * (or send). Anything else is refused by the broker with PUBACK 0x99.
 */
public enum TypingState {
    TYPING, PAUSED;

    /** The largest payload the broker reads; a state update is a few dozen bytes. */
    public static final int MAX_PAYLOAD_BYTES = 256;
    private static final String EXPECTED = "a typing update is {\"state\":\"typing\"} or {\"state\":\"paused\"}";

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TypingState fromWire(String wire) {
        for (TypingState state : values()) {
            if (state.wire().equals(wire)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown typing state '" + wire + "'");
    }

    /** A device's update, checked: size, UTF-8 JSON object, a known {@code state}. */
    public static TypingState parse(ByteBuffer payload) throws InvalidPayloadException {
        if (payload.remaining() > MAX_PAYLOAD_BYTES) {
            throw new InvalidPayloadException("a typing update is {\"state\":\"typing\"} or {\"state\":\"paused\"},"
                    + " at most " + MAX_PAYLOAD_BYTES + " bytes (this one has " + payload.remaining() + ")");
        }
        JsonNode json;
        try {
            json = Payloads.jsonObject(payload);
        } catch (InvalidPayloadException e) {
            throw new InvalidPayloadException(e.getMessage() + "; " + EXPECTED);
        }
        JsonNode state = json.get("state");
        if (state != null && state.isTextual()) {
            for (TypingState known : values()) {
                if (known.wire().equals(state.asText())) {
                    return known;
                }
            }
        }
        throw new InvalidPayloadException(EXPECTED);
    }
}
