package dev.parley.store.accounts;

/** Where to push a notification for one device of a user: its platform and push token. */
public record PushTarget(String deviceId, String platform, String pushToken) {
}
