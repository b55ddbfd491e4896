package dev.parley.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.Topic;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONNECTION = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** Empty when the topic is not a device's presence or the payload is not a presence report. */
    static Optional<DeviceReport> parse(String topic, byte[] payload, Instant at) {
        Optional<Topic> parsed = Topic.parse(topic);
        if (parsed.isEmpty() || !(parsed.get() instanceof Topic.DevicePresence device)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        String status = json.path("status").asText("");
        if (!status.equals("online") && !status.equals("offline")) {
            return Optional.empty();
        }
        JsonNode connection = json.get("connection");
        String connectionId = null;
        if (connection != null && !connection.isNull()) {
            if (!connection.isTextual() || !CONNECTION.matcher(connection.asText()).matches()) {
                return Optional.empty();
            }
            connectionId = connection.asText();
        }
        return Optional.of(new DeviceReport(device.user(), device.deviceId(), status.equals("online"), connectionId, at));
    }
}
