package dev.parley.persistence.problems;

import java.net.URI;

/**
 * Every kind of error the REST API reports, each with a stable {@code type} URI that clients may
 * switch on (RFC 9457). A URN, because the types are identifiers, not pages we promise to host;
 * the titles are fixed per type and never carry request details (those go in {@code detail}).
 * Add a constant here for each new kind of error; never change a published one.
 */
public enum ProblemType {
    NOT_FOUND("not-found", "Resource not found", 404),
    VALIDATION("validation-error", "Request is invalid", 400),
    MALFORMED_BODY("malformed-body", "Request body is not valid JSON", 400),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "No acceptable representation", 406),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    /** A group's data asked for, or changed, by someone who is not one of its members. */
    NOT_A_GROUP_MEMBER("not-a-group-member", "Not a member of the group", 403),
    /** A change only the group's admins may make (adding others, removing others, renaming, roles). */
    NOT_A_GROUP_ADMIN("not-a-group-admin", "Not an admin of the group", 403),
    /** The group has its maximum number of members (200); someone has to leave first. */
    GROUP_FULL("group-full", "Group is full", 409),
    /** Demoting the group's only admin would leave it without one; promote another member first. */
    LAST_ADMIN("last-admin", "Last admin of the group", 409),
    /**
     * A group change is stored in Cassandra, but Redis did not confirm the broker's copy of it (roster
     * version, change event): members' devices may not see it until the same request is retried.
     */
    CHANGE_NOT_PROPAGATED("change-not-propagated", "Change stored but not propagated", 503),
    /** Registration: another account holds the handle (or e-mail, phone) already; pick another. */
    HANDLE_TAKEN("handle-taken", "Handle is taken", 409),
    EMAIL_TAKEN("email-taken", "E-mail address is in use", 409),
    PHONE_TAKEN("phone-taken", "Phone number is in use", 409),
    /** Login: the handle or the password is wrong; deliberately never says which. */
    INVALID_CREDENTIALS("invalid-credentials", "Invalid credentials", 401),
    /** Too many failed logins for one handle: try again after Retry-After. */
    TOO_MANY_LOGIN_ATTEMPTS("too-many-login-attempts", "Too many login attempts", 429),
    /** No bearer token, or one that does not verify (expired, forged, malformed); the detail says which. */
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    /** The token verifies, but its device was logged out or got a newer token: log in again. */
    SESSION_ENDED("session-ended", "Session ended", 401),
    /** A friend request to someone who is your friend already. */
    ALREADY_FRIENDS("already-friends", "Already friends", 409),
    /** A conversation's history or messages asked for by someone who is not one of its participants. */
    NOT_A_PARTICIPANT("not-a-participant", "Not a participant of the conversation", 403),
    /** Presence of a user who is neither the caller nor one of the caller's friends. */
    NOT_A_FRIEND("not-a-friend", "Not a friend", 403),
    /** A push token for a device that is logged out: log in on it first. */
    DEVICE_LOGGED_OUT("device-logged-out", "Device is logged out", 409),
    /** The request body is larger than the service accepts; the detail names the limit. */
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
    /** Any other status the HTTP layer raised that has no type of its own yet. */
    HTTP_ERROR("http-error", "HTTP error", 0),
    /** Cassandra could not confirm a read or write (replicas down or too slow); safe to retry later. */
    STORE_UNAVAILABLE("store-unavailable", "Store unavailable", 503),
    UNEXPECTED("unexpected-error", "Unexpected error", 500);

    private static final String PREFIX = "urn:parley:problem:";

    private final URI type;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.type = URI.create(PREFIX + slug);
        this.title = title;
        this.status = status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** The status this type always has; 0 for {@link #HTTP_ERROR}, whose status comes from the HTTP layer. */
    public int status() {
        return status;
    }
}
