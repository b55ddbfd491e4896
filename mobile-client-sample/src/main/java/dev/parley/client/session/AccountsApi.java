package dev.parley.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyException;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * persistence-service's account endpoints: register, log a device in, refresh its token. Refusals
 * become {@link ParleyException}s built from the problem+json body.
 */
public final class AccountsApi {

    private static final ObjectMapper JSON = RestCalls.json();

    private final RestCalls rest;

    public AccountsApi(URI base) {
        this.rest = new RestCalls(base);
    }

    /** Creates an account; returns the new user's id. */
    public UUID register(String handle, String displayName, String password) {
        ObjectNode body = JSON.createObjectNode().put("handle", handle).put("displayName", displayName)
                .put("password", password);
        JsonNode created = rest.call("POST", "/v1/users", body, null);
        return UUID.fromString(created.get("id").asText());
    }

    /** Logs this device in: a fresh token bound to {@code deviceId}. Wrong handle or password: AuthenticationFailed. */
    public Credentials login(String handle, String password, String deviceId) {
        ObjectNode body = JSON.createObjectNode().put("handle", handle).put("password", password)
                .put("deviceId", deviceId);
        return credentials(rest.call("POST", "/v1/tokens", body, null));
    }

    /** A new token for the same device, while the current one is still valid (each token refreshes once). */
    public Credentials refresh(Credentials current) {
        return credentials(rest.call("POST", "/v1/tokens/refresh", null, current.token()));
    }

    /** The user id of a handle (404 → UnknownConversation: nobody to talk to under that handle). */
    public UUID userIdOf(String handle) {
        JsonNode user = rest.call("GET", "/v1/users?handle=" + handle, null, null);
        JsonNode found = user.isArray() ? (user.isEmpty() ? null : user.get(0)) : user;
        if (found == null || found.get("id") == null) {
            throw new ParleyException.UnknownConversation("no user with handle '" + handle + "'");
        }
        return UUID.fromString(found.get("id").asText());
    }

    /** The handle of a user id, for showing people by name. */
    public String handleOf(UUID userId) {
        return rest.call("GET", "/v1/users/" + userId, null, null).path("handle").asText(userId.toString());
    }

    private static Credentials credentials(JsonNode token) {
        return new Credentials(UUID.fromString(token.get("userId").asText()), token.get("deviceId").asText(),
                token.get("token").asText(), Instant.parse(token.get("expiresAt").asText()));
    }
}
