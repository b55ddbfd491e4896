package dev.parley.benchmark.workloads;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's clientMsgIds, {@code b<step>-<message>}: the receiver finds the step and the message
 * from the payload alone (plain: what was sent; Parley: the stored envelope, which carries the
 * clientMsgId), so arrivals are matched without a shared map.
 */
final class MessageIds {

    private static final String FIELD = "\"clientMsgId\":\"";
    private static final String EVENT_FIELD = "\"event\":";

    private MessageIds() {
    }

    static String of(int step, int message) {
        return "b" + step + "-" + message;
    }

    /** A chat message of exactly {@code textBytes} ASCII characters. */
    static byte[] payload(int step, int message, String text) {
        return ("{\"clientMsgId\":\"" + of(step, message) + "\",\"text\":\"" + text + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String text(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        String words = "the quick brown fox jumps over the lazy dog ";
        while (text.length() < bytes) {
            text.append(words);
        }
        return text.substring(0, bytes - 1) + ".";
    }

    /**
     * {step, message}, or null when the payload carries no benchmark id — or is a group system message
     * (it has an {@code event}; the broker writes it, so it is no message the benchmark sent).
     */
    static int[] parse(ByteBuffer payload) {
        String json = StandardCharsets.UTF_8.decode(payload).toString();
        int at = json.indexOf(FIELD);
        if (at < 0 || json.contains(EVENT_FIELD)) {
            return null;
        }
        int from = at + FIELD.length();
        int dash = json.indexOf('-', from);
        int end = json.indexOf('"', from);
        if (json.charAt(from) != 'b' || dash < 0 || end < dash) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(json, from + 1, dash, 10), Integer.parseInt(json, dash + 1, end, 10)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
