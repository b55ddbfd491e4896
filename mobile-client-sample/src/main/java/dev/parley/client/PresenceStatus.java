package dev.parley.client;

/** A user's aggregate presence: online while any of their devices is connected. */
public enum PresenceStatus {
    ONLINE, OFFLINE;

    static PresenceStatus fromWire(String status) {
        return "online".equals(status) ? ONLINE : OFFLINE;
    }
}
