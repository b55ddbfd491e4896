package dev.parley.persistence.groups;

import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.tokens.BearerAuthenticated;
import dev.parley.persistence.tokens.Caller;
import dev.parley.store.groups.GroupStore.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Groups, their members and admins. Every change is stored, then announced to the broker through
 * Redis, before the answer: a 2xx means the broker enforces the new roster (DESIGN invariant 7). A
 * 503 change-not-propagated means the change is stored but Redis did not confirm it; retrying the same
 * request is safe and completes it. Ids are taken as text so a malformed one is a 400 naming the field.
 */
@Path("/v1/groups")
@BearerAuthenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "groups", description = "Groups of up to 200 members: create, read, rename, members, admins")
final class GroupResource {

    private static final String GROUP_ID = "The group's id";
    private static final String NEEDS_TOKEN = "No or an invalid bearer token (unauthenticated)";
    private static final String NO_GROUP = "No group has this id (not-found)";
    private static final String NOT_PROPAGATED = "The change is stored, but Redis did not confirm it to the broker "
            + "(change-not-propagated): members' devices may not see it until the same request is retried; "
            + "retrying is safe";

    private final Caller caller;
    private final Groups groups;

    GroupResource(Caller caller, Groups groups) {
        this.caller = caller;
        this.groups = groups;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createGroup", summary = "Create a group; you are its admin",
            description = "The listed users become members at once. A group has at most 200 members (you included).")
    @APIResponse(responseCode = "201", description = "Created; Location names the group",
            headers = @Header(name = "Location", description = "/v1/groups/{id}", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON (malformed-body), or name, description or "
            + "members is invalid, a member is not a registered user, there are more than 199 others, or a field is "
            + "unknown (validation-error naming each field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> create(NewGroupRequest request, @Context UriInfo uri) {
        // Resolved now: the callback runs on a driver thread, outside the request context.
        UriBuilder location = uri.getBaseUriBuilder().path("v1/groups/{id}");
        return groups.create(caller.device().userId(), request).thenApply(group -> Response
                .status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, location.build(group.id()))
                .entity(group)
                .build());
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getGroup", summary = "A group you are a member of")
    @APIResponse(responseCode = "200", description = "The group, with your role",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID (validation-error naming id)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<GroupView> get(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return groups.get(caller.device().userId(), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateGroup", summary = "Rename a group or change its description (admins)",
            description = "Fields left out stay as they are; members see a renamed change.")
    @APIResponse(responseCode = "200", description = "The group after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON (malformed-body), names neither field, a "
            + "field is invalid or unknown, or id is not a UUID (validation-error naming each field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member) or not an admin "
            + "(not-a-group-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<GroupView> update(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            GroupUpdateRequest request) {
        return groups.update(caller.device().userId(), id, request);
    }

    @GET
    @Path("/{id}/members")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getUsersInGroup", summary = "The members of a group you are a member of",
            description = "Longest-standing first, with role and when they joined (at most 200).")
    @APIResponse(responseCode = "200", description = "The members",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MemberView.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID (validation-error naming id)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<MemberView>> members(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return groups.members(caller.device().userId(), id);
    }

    @POST
    @Path("/{id}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "joinGroup", summary = "Add a member (admins add anyone registered)",
            description = "There are no invitations yet, so nobody joins by themself: an admin adds them. Your own "
                    + "id answers 200 with your membership if you are a member, 403 otherwise. Idempotent: adding a "
                    + "member again answers 200 with their membership. A group has at most 200 members; of "
                    + "concurrent adds, exactly as many succeed as there are free places.")
    @APIResponse(responseCode = "201", description = "Added; the broker enforces the roster version in the answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembershipView.class)))
    @APIResponse(responseCode = "200", description = "They were a member already",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembershipView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON (malformed-body), userId is missing or "
            + "not a UUID, a field is unknown, or id is not a UUID (validation-error naming each field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member: also when asking to "
            + "join by yourself), or you are not an admin and added someone else (not-a-group-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP + ", or no user has the userId (not-found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The group has 200 members (group-full)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> add(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            NewMemberRequest request) {
        return groups.add(caller.device().userId(), id, request).thenApply(added -> Response
                .status(added.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(added.membership())
                .build());
    }

    @DELETE
    @Path("/{id}/members/{userId}")
    @Operation(operationId = "leaveGroup", summary = "Leave a group, or remove a member (admins)",
            description = "Anyone may remove themself; admins may remove anyone. Idempotent: 204 also when the user "
                    + "is not a member. When the last admin leaves, the longest-standing member becomes admin. Once "
                    + "this answers, the user's devices receive no further messages of the group, on any broker node.")
    @APIResponse(responseCode = "204", description = "The user is not a member (any more)")
    @APIResponse(responseCode = "400", description = "id or userId is not a UUID (validation-error naming it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You removed someone else and are not a member "
            + "(not-a-group-member) or not an admin (not-a-group-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Void> remove(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(description = "The member to remove (your own id to leave)", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("userId") String userId) {
        return groups.remove(caller.device().userId(), id, userId);
    }

    @PUT
    @Path("/{id}/admins/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "promoteMember", summary = "Make a member an admin (admins)",
            description = "Idempotent: 200 also when they are an admin already.")
    @APIResponse(responseCode = "200", description = "They are an admin",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembershipView.class)))
    @APIResponse(responseCode = "400", description = "id or userId is not a UUID (validation-error naming it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member) or not an admin "
            + "(not-a-group-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP + ", or the user is not a member (not-found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<MembershipView> promote(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(description = "The member to promote", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("userId") String userId) {
        return groups.setRole(caller.device().userId(), id, userId, Role.admin);
    }

    @DELETE
    @Path("/{id}/admins/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "demoteAdmin", summary = "Make an admin a plain member (admins)",
            description = "Idempotent: 200 also when they are a plain member already. The group's only admin cannot "
                    + "be demoted.")
    @APIResponse(responseCode = "200", description = "They are a plain member",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembershipView.class)))
    @APIResponse(responseCode = "400", description = "id or userId is not a UUID (validation-error naming it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = NEEDS_TOKEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a member (not-a-group-member) or not an admin "
            + "(not-a-group-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = NO_GROUP + ", or the user is not a member (not-found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "They are the group's only admin (last-admin)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = NOT_PROPAGATED + "; or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<MembershipView> demote(
            @Parameter(description = GROUP_ID, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(description = "The admin to demote", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("userId") String userId) {
        return groups.setRole(caller.device().userId(), id, userId, Role.member);
    }
}
