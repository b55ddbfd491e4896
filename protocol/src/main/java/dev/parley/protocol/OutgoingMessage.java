package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * What a device publishes to {@code users/{to}/messages} or {@code groups/{id}/messages}:
 * {@code {"clientMsgId": "...", "text": "..."}}. The sender is the connection's user, never a field.
 *
 * @param clientMsgId the device's id for this send, the same on every retry (deduplication key)
 * @param text        the text, stripped of leading and trailing white space
 */
public record OutgoingMessage(String clientMsgId, String text) {

    public static final int MAX_TEXT_CODE_POINTS = 1000;
    private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    public static OutgoingMessage parse(ByteBuffer payload) throws InvalidPayloadException {
        JsonNode json = Payloads.jsonObject(payload);
        JsonNode id = json.get("clientMsgId");
        if (id == null || id.isNull()) {
            throw new InvalidPayloadException("clientMsgId is missing: every send carries the device's id for it, "
                    + "the same on every retry");
        }
        if (!id.isTextual() || !CLIENT_MSG_ID.matcher(id.asText()).matches()) {
            throw new InvalidPayloadException("clientMsgId must be a string of 1-64 characters A-Z a-z 0-9 _ . : -"
                    + " (a UUID is typical)");
        }
        JsonNode textNode = json.get("text");
        if (textNode == null || !textNode.isTextual()) {
            throw new InvalidPayloadException("text is missing or not a string");
        }
        return new OutgoingMessage(id.asText(), validText(textNode.asText()));
    }

    static String validText(String raw) throws InvalidPayloadException {
        String text = raw.strip();
        if (text.isEmpty()) {
            throw new InvalidPayloadException("text is empty: a message has 1 to " + MAX_TEXT_CODE_POINTS
                    + " characters");
        }
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints > MAX_TEXT_CODE_POINTS) {
            throw new InvalidPayloadException("text has " + codePoints + " characters; at most "
                    + MAX_TEXT_CODE_POINTS + " are allowed");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
                throw new InvalidPayloadException("text contains control character U+"
                        + String.format("%04X", (int) c) + "; only line breaks and tabs are allowed");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(text.charAt(i - 1)))) {
                throw new InvalidPayloadException("text contains an unpaired surrogate (\\u escape)");
            }
        }
        return text;
    }
}
