package dev.parley.client.friends;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.session.Credentials;
import dev.parley.client.session.RestCalls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * persistence-service's friends endpoints, as the signed-in user. Friends are whom a client may watch the
 * presence of ({@code presence/{friendId}}: the broker refuses anyone else's).
 */
public final class FriendsApi {

    /** A friend's public profile. */
    public record Friend(UUID id, String handle, String displayName) {
    }

    /** What a friend request came to: {@code pending} (they have not asked you) or {@code friends}. */
    public enum RequestStatus {
        pending, friends
    }

    private final RestCalls rest;

    public FriendsApi(URI base) {
        this.rest = new RestCalls(base);
    }

    /** {@code GET /v1/me/friends}. */
    public List<Friend> list(Credentials me) {
        List<Friend> friends = new ArrayList<>();
        for (JsonNode f : rest.call("GET", "/v1/me/friends", null, me.token())) {
            friends.add(new Friend(UUID.fromString(f.get("id").asText()), f.get("handle").asText(),
                    f.get("displayName").asText()));
        }
        return friends;
    }

    /**
     * Asks {@code to} to be friends ({@code POST /v1/me/friend-requests}); when they had asked you already, you
     * are friends at once. Already friends is refused by the server (409 {@code already-friends}).
     */
    public RequestStatus request(Credentials me, UUID to) {
        JsonNode answer = rest.call("POST", "/v1/me/friend-requests",
                RestCalls.json().createObjectNode().put("to", to.toString()), me.token());
        return RequestStatus.valueOf(answer.path("status").asText("pending"));
    }
}
