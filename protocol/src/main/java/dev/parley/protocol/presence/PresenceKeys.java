package dev.parley.protocol.presence;

import java.util.UUID;

/**
 * The Redis contract for presence, between presence-bridge (the only writer of the aggregate: it folds the
 * user's devices' presence publishes and last wills into it), persistence-service (reads the aggregate for
 * {@code GET /v1/users/{id}/presence}, writes the privacy settings) and the broker extension (re-announces
 * its connected devices when asked).
 *
 * <p>One hash per user at {@link #key}: field {@link #STATUS} is {@link #ONLINE} while any device of the
 * user is connected, {@link #OFFLINE} otherwise; field {@link #LAST_SEEN} is the ISO-8601 UTC instant
 * (e.g. {@code 2026-11-25T21:00:00Z}) the user was last online, written when their last device goes
 * offline (absent if never). A user without a hash has not been seen since Redis was last emptied: readers
 * fall back to the last seen presence-bridge persists in Cassandra ({@code user_presence}).
 *
 * <p>Privacy settings: Cassandra's {@code user_presence} row is the truth; persistence-service mirrors it
 * into the hash at {@link #settingsKey} ({@link #VISIBILITY}, {@link #SHOW_LAST_SEEN}) and then publishes
 * the user id on {@link #SETTINGS_CHANGED}, so presence-bridge republishes what friends see at once. A
 * bridge that finds no mirror (never set, or Redis emptied) reads Cassandra and writes it.
 *
 * <p>Rebuilding after Redis is emptied: presence-bridge keeps {@link #EPOCH} set; finding it gone, it sets
 * it again and publishes anything on {@link #REANNOUNCE}; every broker node then publishes, for each device
 * connected to it that announced itself online, that announcement again on the device's own
 * {@code presence/{userId}/{deviceId}}.
 */
public final class PresenceKeys {

    public static final String STATUS = "status";
    public static final String LAST_SEEN = "lastSeen";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    /** Settings hash field: {@link #VISIBLE} or {@link #INVISIBLE}. */
    public static final String VISIBILITY = "visibility";
    public static final String VISIBLE = "visible";
    public static final String INVISIBLE = "invisible";
    /** Settings hash field: {@code true} or {@code false}. */
    public static final String SHOW_LAST_SEEN = "showLastSeen";

    /**
     * How long the settings mirror lives: it is a cache of Cassandra's row, refilled from it on a miss, so
     * users long gone cost Redis nothing.
     */
    public static final java.time.Duration SETTINGS_MIRROR_TTL = java.time.Duration.ofDays(1);
    /** Pub/sub channel; message: the user id whose settings changed. */
    public static final String SETTINGS_CHANGED = "parley:presence:settings-changed";
    /** Marker key presence-bridge keeps set; its absence means Redis lost the presence state. */
    public static final String EPOCH = "parley:presence:epoch";
    /** Pub/sub channel: broker nodes re-announce their connected devices on any message. */
    public static final String REANNOUNCE = "parley:presence:reannounce";

    private PresenceKeys() {
    }

    /** {@code parley:presence:{userId}}. */
    public static String key(UUID userId) {
        return "parley:presence:" + userId;
    }

    /** {@code parley:presence:{userId}:settings}. */
    public static String settingsKey(UUID userId) {
        return key(userId) + ":settings";
    }
}
