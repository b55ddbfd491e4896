package dev.parley.protocol.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Payloads;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a device publishes on its own {@code presence/{userId}/{deviceId}} (docs/asyncapi.yaml
 * DevicePresence): {@code {"status":"online"|"offline","connection":"<id>"?}}. The broker refuses anything
 * else (PUBACK 0x99, or CONNACK 0x99 for a will); presence-bridge reads it with the same rules.
 *
 * @param connection the device's id for this connection (repeated in its will), or null
 */
public record DeviceStatus(boolean online, String connection) {

    private static final Pattern CONNECTION = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** The wire form, as a device publishes it. */
    public byte[] toJson() {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("status", online ? PresenceKeys.ONLINE : PresenceKeys.OFFLINE);
        if (connection != null) {
            json.put("connection", connection);
        }
        return Payloads.toJson(json);
    }

    public static DeviceStatus parse(ByteBuffer payload) throws InvalidPayloadException {
        JsonNode json = Payloads.jsonObject(payload);
        String status = json.path("status").asText("");
        if (!status.equals(PresenceKeys.ONLINE) && !status.equals(PresenceKeys.OFFLINE)) {
            throw new InvalidPayloadException("a device's presence is {\"status\":\"online\"} or"
                    + " {\"status\":\"offline\"} (optionally with \"connection\": the id of this connection)");
        }
        JsonNode connection = json.get("connection");
        if (connection == null || connection.isNull()) {
            return new DeviceStatus(status.equals(PresenceKeys.ONLINE), null);
        }
        if (!connection.isTextual() || !CONNECTION.matcher(connection.asText()).matches()) {
            throw new InvalidPayloadException("\"connection\" must be 1-64 characters of A-Z a-z 0-9 _ . : -"
                    + " (a UUID is typical), the same in the online announcement and the will");
        }
        return new DeviceStatus(status.equals(PresenceKeys.ONLINE), connection.asText());
    }
}
