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
 * @param thread      groups notifications: every notification of one conversation carries the same
 *                    value, and the newest replaces the one shown (Android collapse key and tag, APNs
 *                    thread-id and collapse id), so a burst of 50 messages shows as one notification
 * @param badge       the unread count to show on the app icon and the notification; 0 for none
 */
public record PushNotification(String deviceToken, String title, String body, Map<String, String> data,
                               String thread, int badge) {
    public PushNotification {
        Objects.requireNonNull(deviceToken, "deviceToken");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        data = Map.copyOf(data);
        Objects.requireNonNull(thread, "thread");
        if (badge < 0) {
            throw new IllegalArgumentException("badge must not be negative: " + badge);
        }
    }
}
