package dev.parley.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * persistence-service's account endpoints over plain {@link HttpClient}: register, log a device in,
 * refresh its token. Refusals become {@link ParleyException}s built from the problem+json body.
 */
public final class AccountsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient http;

    public AccountsApi(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Creates an account; returns the new user's id. */
    public UUID register(String handle, String displayName, String password) {
        ObjectNode body = JSON.createObjectNode().put("handle", handle).put("displayName", displayName)
                .put("password", password);
        JsonNode created = post("/v1/users", body, null);
        return UUID.fromString(created.get("id").asText());
    }

    /** Logs this device in: a fresh token bound to {@code deviceId}. Wrong handle or password: AuthenticationFailed. */
    public Credentials login(String handle, String password, String deviceId) {
        ObjectNode body = JSON.createObjectNode().put("handle", handle).put("password", password)
                .put("deviceId", deviceId);
        return credentials(post("/v1/tokens", body, null));
    }

    /** A new token for the same device, while the current one is still valid (each token refreshes once). */
    public Credentials refresh(Credentials current) {
        return credentials(post("/v1/tokens/refresh", null, current.token()));
    }

    /** The user id of a handle (404 → UnknownConversation: nobody to talk to under that handle). */
    public UUID userIdOf(String handle) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/users?handle=" + handle))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        JsonNode user = send(request);
        JsonNode found = user.isArray() ? (user.isEmpty() ? null : user.get(0)) : user;
        if (found == null || found.get("id") == null) {
            throw new ParleyException.UnknownConversation("no user with handle '" + handle + "'");
        }
        return UUID.fromString(found.get("id").asText());
    }

    /** The handle of a user id, for showing people by name. */
    public String handleOf(UUID userId) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/users/" + userId))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        return send(request).path("handle").asText(userId.toString());
    }

    private static Credentials credentials(JsonNode token) {
        return new Credentials(UUID.fromString(token.get("userId").asText()), token.get("deviceId").asText(),
                token.get("token").asText(), Instant.parse(token.get("expiresAt").asText()));
    }

    private JsonNode post(String path, JsonNode body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return send(request.build());
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("persistence-service at " + base + " is not reachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri(), e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        throw Problems.toException(response.statusCode(), json);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", body);
        }
    }
}
