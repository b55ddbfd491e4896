package dev.parley.client.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.session.Credentials;
import dev.parley.client.session.RestCalls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * persistence-service's group endpoints, as the signed-in user: create a group, add a member (admins),
 * leave or remove, list one's groups. Membership changes take effect on the broker before these return.
 */
public final class GroupsApi {

    /** A group as its member sees it. */
    public record GroupInfo(UUID id, String name, int memberCount, String yourRole) {
    }

    private final RestCalls rest;

    public GroupsApi(URI base) {
        this.rest = new RestCalls(base);
    }

    /** A new group with me as its admin and {@code members} in it; returns its id. */
    public UUID create(Credentials me, String name, List<UUID> members) {
        ObjectNode body = RestCalls.json().createObjectNode().put("name", name);
        ArrayNode list = body.putArray("members");
        members.forEach(m -> list.add(m.toString()));
        return UUID.fromString(rest.call("POST", "/v1/groups", body, me.token()).get("id").asText());
    }

    /** Adds a member (I must be an admin); adding someone already in is fine. */
    public void add(Credentials me, UUID group, UUID user) {
        rest.call("POST", "/v1/groups/" + group + "/members",
                RestCalls.json().createObjectNode().put("userId", user.toString()), me.token());
    }

    /** Leaves the group ({@code user} = me) or removes a member (I must be an admin). */
    public void remove(Credentials me, UUID group, UUID user) {
        rest.call("DELETE", "/v1/groups/" + group + "/members/" + user, null, me.token());
    }

    /** {@code GET /v1/groups/{id}/members} (I must be a member): who is in, and from which seq their history starts. */
    public List<dev.parley.client.receipts.GroupTicks.Member> members(Credentials me, UUID group) {
        List<dev.parley.client.receipts.GroupTicks.Member> members = new ArrayList<>();
        for (JsonNode m : rest.call("GET", "/v1/groups/" + group + "/members", null, me.token())) {
            members.add(new dev.parley.client.receipts.GroupTicks.Member(UUID.fromString(m.get("userId").asText()),
                    m.path("joinedAfterSeq").asLong()));
        }
        return members;
    }

    public List<GroupInfo> mine(Credentials me) {
        List<GroupInfo> groups = new ArrayList<>();
        for (JsonNode g : rest.call("GET", "/v1/me/groups", null, me.token())) {
            groups.add(new GroupInfo(UUID.fromString(g.get("id").asText()), g.get("name").asText(),
                    g.get("memberCount").asInt(), g.get("yourRole").asText()));
        }
        return groups;
    }
}
