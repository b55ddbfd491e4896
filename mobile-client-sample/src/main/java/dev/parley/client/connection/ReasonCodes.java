package dev.parley.client.connection;

import dev.parley.client.ParleyException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** MQTT 5 reason codes from Parley's broker as the typed errors an app handles (broker-extensions/README.md). */
public final class ReasonCodes {

    public static final int NOT_AUTHORIZED = 0x87;
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    public static final int TOPIC_NAME_INVALID = 0x90;
    public static final int PAYLOAD_FORMAT_INVALID = 0x99;
    public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
    public static final int UNSPECIFIED_ERROR = 0x80;
    public static final int SESSION_TAKEN_OVER = 0x8E;
    public static final int MAXIMUM_CONNECT_TIME = 0xA0;

    private ReasonCodes() {
    }

    /** The error of a refused send; ServerUnavailable means "retry the same send". */
    public static ParleyException forPuback(Ack ack) {
        String reason = ack.reasonString() == null ? "refused with reason code 0x" + Integer.toHexString(ack.reasonCode())
                : ack.reasonString().strip();
        return switch (ack.reasonCode()) {
            case NOT_AUTHORIZED -> new ParleyException.NotAuthorized(reason);
            case TOPIC_NAME_INVALID -> new ParleyException.UnknownConversation(reason);
            case PAYLOAD_FORMAT_INVALID -> new ParleyException.InvalidMessage(reason);
            default -> new ParleyException.ServerUnavailable(reason);
        };
    }

    /** Whether a refused send is worth sending again (the store could not confirm it in time). */
    public static boolean retryable(ParleyException error) {
        return error instanceof ParleyException.ServerUnavailable;
    }

    /**
     * A failed connect: an AuthenticationFailed when the broker refused the credentials (retrying them
     * cannot help), empty when the network or the broker is the problem (retry with backoff).
     */
    public static java.util.Optional<ParleyException> forConnectFailure(Throwable failure) {
        if (failure instanceof MqttException mqtt) {
            int code = mqtt.getReasonCode();
            if (code == BAD_USER_NAME_OR_PASSWORD || code == NOT_AUTHORIZED || code == CLIENT_IDENTIFIER_NOT_VALID) {
                return java.util.Optional.of(new ParleyException.AuthenticationFailed("the broker refused the connection "
                        + "(reason code 0x" + Integer.toHexString(code) + "): the access token is expired, invalid or "
                        + "another device's; log in again"));
            }
        }
        return java.util.Optional.empty();
    }
}
