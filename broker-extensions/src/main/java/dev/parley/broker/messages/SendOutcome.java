package dev.parley.broker.messages;

import dev.parley.store.messages.StoredMessage;

/** The answer to a device's send, as its PUBACK will carry it. */
sealed interface SendOutcome {

    /** Stored (now, or by an earlier attempt of the same send): PUBACK success. */
    record Accepted(StoredMessage message, boolean duplicate) implements SendOutcome {
    }

    /** Refused or not stored: PUBACK with this MQTT 5 reason code and reason string. */
    record Refused(Reason reason, String detail) implements SendOutcome {
    }

    enum Reason {
        UNKNOWN_RECIPIENT,
        UNKNOWN_GROUP,
        NOT_A_MEMBER,
        NOT_STORED,
        BAD_CLIENT_MSG_ID
    }
}
