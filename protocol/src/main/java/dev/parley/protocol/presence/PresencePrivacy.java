package dev.parley.protocol.presence;

import java.util.HashMap;
import java.util.Map;

/**
 * What a user lets friends see of their presence. Invisible: friends see offline and no last seen.
 * Last seen hidden: friends see online/offline but no last seen. Not reciprocal: hiding your last seen does
 * not hide anyone else's from you. The user themself always sees the truth.
 */
public record PresencePrivacy(boolean invisible, boolean showLastSeen) {

    /** Everyone starts visible, with last seen shown. */
    public static final PresencePrivacy DEFAULT = new PresencePrivacy(false, true);

    /** What a friend may see, given the true status and last seen. */
    public boolean friendSeesOnline(boolean online) {
        return online && !invisible;
    }

    public boolean friendSeesLastSeen() {
        return showLastSeen && !invisible;
    }

    public String visibility() {
        return invisible ? PresenceKeys.INVISIBLE : PresenceKeys.VISIBLE;
    }

    /** The {@link PresenceKeys#settingsKey} hash. */
    public Map<String, String> toHash() {
        Map<String, String> hash = new HashMap<>();
        hash.put(PresenceKeys.VISIBILITY, visibility());
        hash.put(PresenceKeys.SHOW_LAST_SEEN, Boolean.toString(showLastSeen));
        return hash;
    }

    /** From the mirror hash; empty hash or unknown values read as the default (visible, last seen shown). */
    public static PresencePrivacy fromHash(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return DEFAULT;
        }
        return new PresencePrivacy(PresenceKeys.INVISIBLE.equals(hash.get(PresenceKeys.VISIBILITY)),
                !"false".equals(hash.get(PresenceKeys.SHOW_LAST_SEEN)));
    }
}
