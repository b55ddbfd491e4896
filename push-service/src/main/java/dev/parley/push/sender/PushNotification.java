package dev.parley.push.sender;

import java.util.Map;
import java.util.Objects;

/**
 * One notification for one device.
 *
 * @param deviceToken the FCM registration token the device registered
 * @param title       shown as the notification's title (e.g. the sender's display name)
 * @param body        shown as its text
 * @param data        key/value pairs the app receives with it (e.g. conversation id and sequence
 *                    number, so opening it lands on the right message)
 */
public record PushNotification(String deviceToken, String title, String body, Map<String, String> data) {
    public PushNotification {
        Objects.requireNonNull(deviceToken, "deviceToken");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        data = Map.copyOf(data);
    }
}
