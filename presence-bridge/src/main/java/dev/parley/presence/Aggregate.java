package dev.parley.presence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * A user's presence as friends see it: online while any device is, and when the user was last online.
 *
 * @param lastSeen when the last device went offline; null if never seen offline
 * @param version  raised by every change; lets a publisher notice a change that raced its publish
 * @param shown    the digest of the payload last published to friends, or null (read with the rest, so
 *                 deciding whether to publish costs no second read)
 */
record Aggregate(UUID user, boolean online, Instant lastSeen, long version, String shown) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** From the {@link PresenceKeys} hash; an absent hash is a user never seen: offline, no last seen. */
    static Aggregate fromHash(UUID user, Map<String, String> hash) {
        boolean online = PresenceKeys.ONLINE.equals(hash.get(PresenceKeys.STATUS));
        Instant lastSeen = null;
        String text = hash.get(PresenceKeys.LAST_SEEN);
        if (text != null) {
            try {
                lastSeen = Instant.parse(text);
            } catch (DateTimeParseException e) {
                lastSeen = null;
            }
        }
        long version = 0;
        try {
            version = Long.parseLong(hash.getOrDefault(PresenceStore.VERSION, "0"));
        } catch (NumberFormatException e) {
            version = 0;
        }
        return new Aggregate(user, online, lastSeen, version, hash.get(PresenceStore.SHOWN));
    }

    Aggregate withLastSeen(Instant persisted) {
        return new Aggregate(user, online, persisted, version, shown);
    }

    /**
     * The retained payload on {@code presence/{userId}}: {@code {"userId","status","lastSeen"}}, as the
     * user's friends may see it (invisible: offline without last seen; last seen hidden: without last seen).
     */
    byte[] payload(PresencePrivacy privacy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("userId", user.toString());
        node.put("status", privacy.friendSeesOnline(online) ? PresenceKeys.ONLINE : PresenceKeys.OFFLINE);
        if (lastSeen == null || !privacy.friendSeesLastSeen()) {
            node.putNull("lastSeen");
        } else {
            node.put("lastSeen", lastSeen.toString());
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
