package dev.parley.protocol.presence;

import java.util.UUID;

/**
 * The Redis contract for a user's aggregated presence, between presence-bridge (the only writer: it
 * folds the user's devices' presence publishes and last wills into it) and its readers
 * (persistence-service's {@code GET /v1/users/{id}/presence}).
 *
 * <p>One hash per user at {@link #key}: field {@link #STATUS} is {@link #ONLINE} while any device of the
 * user is connected, {@link #OFFLINE} otherwise; field {@link #LAST_SEEN} is the ISO-8601 UTC instant
 * (e.g. {@code 2026-11-25T21:00:00Z}) the user was last online, written when their last device goes
 * offline (absent if never). A user without a hash has never been seen online: readers answer offline
 * with no last-seen time.
 */
public final class PresenceKeys {

    public static final String STATUS = "status";
    public static final String LAST_SEEN = "lastSeen";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    private PresenceKeys() {
    }

    /** {@code parley:presence:{userId}}. */
    public static String key(UUID userId) {
        return "parley:presence:" + userId;
    }
}
