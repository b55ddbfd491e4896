package dev.parley.client;

/**
 * Everything the server can refuse, as types an app can switch on instead of parsing messages. Each
 * carries the server's reason (an MQTT 5 reason string or a problem+json detail) for showing to a person.
 */
public abstract sealed class ParleyException extends RuntimeException
        permits ParleyException.AuthenticationFailed, ParleyException.NotAuthorized, ParleyException.InvalidMessage,
        ParleyException.UnknownConversation, ParleyException.ServerUnavailable, ParleyException.RequestRejected,
        ParleyException.SessionTakenOver {

    ParleyException(String message) {
        super(message);
    }

    /**
     * Wrong handle or password, or an access token the broker refuses (expired, forged, another device's).
     * Terminal: the client stops reconnecting, because retrying the same credentials cannot succeed.
     */
    public static final class AuthenticationFailed extends ParleyException {
        public AuthenticationFailed(String reason) {
            super(reason);
        }
    }

    /** The server refused an action the user may not do (e.g. sending to a group they are not a member of). */
    public static final class NotAuthorized extends ParleyException {
        public NotAuthorized(String reason) {
            super(reason);
        }
    }

    /** The message itself is invalid (empty, over 1000 characters, ...): resending it cannot help. */
    public static final class InvalidMessage extends ParleyException {
        public InvalidMessage(String reason) {
            super(reason);
        }
    }

    /** No such user or group to send to. */
    public static final class UnknownConversation extends ParleyException {
        public UnknownConversation(String reason) {
            super(reason);
        }
    }

    /** The server could not confirm a write in time; the client retries the same send (deduplicated). */
    public static final class ServerUnavailable extends ParleyException {
        public ServerUnavailable(String reason) {
            super(reason);
        }
    }

    /** A REST request refused with a problem+json body (e.g. a handle already taken at registration). */
    public static final class RequestRejected extends ParleyException {
        private final int status;
        private final String type;

        public RequestRejected(int status, String type, String detail) {
            super(detail + " (" + status + (type == null ? "" : ", " + type) + ")");
            this.status = status;
            this.type = type;
        }

        public int status() {
            return status;
        }

        /** The problem's stable type, e.g. {@code urn:parley:problem:handle-taken}. */
        public String type() {
            return type;
        }
    }

    /**
     * Another connection with this device's client id took the session over (the same device id in use
     * twice). Terminal: two instances reconnecting in turn would only take it from each other forever.
     */
    public static final class SessionTakenOver extends ParleyException {
        public SessionTakenOver(String reason) {
            super(reason);
        }
    }
}
