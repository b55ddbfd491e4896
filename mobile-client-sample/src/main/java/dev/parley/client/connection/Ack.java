package dev.parley.client.connection;

/** A PUBACK as the device saw it: MQTT 5 reason code and the server's reason string (null if none). */
public record Ack(int reasonCode, String reasonString) {

    public boolean success() {
        return reasonCode < 0x80;
    }
}
