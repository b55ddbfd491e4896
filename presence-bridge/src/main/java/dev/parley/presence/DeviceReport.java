package dev.parley.presence;

import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Topic;
import dev.parley.protocol.presence.DeviceStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One device's presence as it arrives on {@code presence/{userId}/{deviceId}}: the device's own
 * {@code {"status":"online"}} after connecting, or its MQTT 5 will {@code {"status":"offline"}} that the
 * broker publishes when the connection dies. Who it is comes from the topic, which the broker allows each
 * device for itself only; never from the payload.
 *
 * @param connection optional id the device chooses per connection and repeats in its will; an offline for
 *                   another connection of the same device (the will of a connection it has already replaced)
 *                   is then ignored. Null when the device sends none.
 * @param at         when the bridge received it (the last-seen time of an offline)
 */
record DeviceReport(UUID user, String deviceId, boolean online, String connection, Instant at) {

    /** Empty when the topic is not a device's presence or the payload is not a presence report. */
    static Optional<DeviceReport> parse(String topic, byte[] payload, Instant at) {
        Optional<Topic> parsed = Topic.parse(topic);
        if (parsed.isEmpty() || !(parsed.get() instanceof Topic.DevicePresence device)) {
            return Optional.empty();
        }
        try {
            // The broker refuses anything else already; the same rules here keep a bad one from counting.
            DeviceStatus status = DeviceStatus.parse(ByteBuffer.wrap(payload));
            return Optional.of(new DeviceReport(device.user(), device.deviceId(), status.online(), status.connection(), at));
        } catch (InvalidPayloadException e) {
            return Optional.empty();
        }
    }
}
