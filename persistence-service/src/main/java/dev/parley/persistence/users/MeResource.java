package dev.parley.persistence.users;

import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.tokens.BearerAuthenticated;
import dev.parley.persistence.tokens.Caller;
import dev.parley.persistence.tokens.Sessions;
import dev.parley.persistence.friends.FriendRequestBody;
import dev.parley.persistence.friends.FriendRequestView;
import dev.parley.persistence.friends.FriendView;
import dev.parley.persistence.friends.Friendships;
import dev.parley.persistence.friends.FriendshipStatus;
import dev.parley.persistence.conversations.CatchUp;
import dev.parley.persistence.devices.DeviceView;
import dev.parley.persistence.devices.Devices;
import dev.parley.persistence.devices.PushRegistrationBody;
import dev.parley.persistence.conversations.ConversationView;
import dev.parley.persistence.conversations.Conversations;
import dev.parley.persistence.conversations.SyncBody;
import dev.parley.persistence.conversations.SyncPage;
import dev.parley.persistence.groups.GroupView;
import dev.parley.persistence.groups.Groups;
import dev.parley.persistence.presence.OwnPresenceView;
import dev.parley.persistence.presence.Presence;
import dev.parley.persistence.presence.PresenceSettingsBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The authenticated user's own resources. One class for all of {@code /v1/me}, so later features
 * (friends, conversations, push tokens) add methods here or sub-paths of their own.
 */
@Path("/v1/me")
@BearerAuthenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "me", description = "The authenticated user's own account")
final class MeResource {

    private final Caller caller;
    private final UserDirectory directory;
    private final Sessions sessions;
    private final Friendships friendships;
    private final Conversations conversations;
    private final CatchUp catchUp;
    private final Devices devices;
    private final Groups groups;
    private final Presence presence;

    MeResource(Caller caller, UserDirectory directory, Sessions sessions, Friendships friendships,
               Conversations conversations, CatchUp catchUp, Devices devices, Groups groups, Presence presence) {
        this.caller = caller;
        this.directory = directory;
        this.sessions = sessions;
        this.friendships = friendships;
        this.conversations = conversations;
        this.catchUp = catchUp;
        this.devices = devices;
        this.groups = groups;
        this.presence = presence;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getMe", summary = "Your own profile, including e-mail and phone")
    @APIResponse(responseCode = "200", description = "Your profile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OwnProfile.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The account of the token no longer exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<OwnProfile> me() {
        return directory.find(caller.device().userId()).thenApply(OwnProfile::of);
    }

    /**
     * Logout. A sub-resource of the device ({@code /session}) so that {@code /v1/me/devices/{deviceId}}
     * itself stays free for the device's push token registration.
     */
    @DELETE
    @Path("/devices/{deviceId}/session")
    @Operation(operationId = "logout", summary = "End a device's session (logout)",
            description = "Any of your devices, this one included. Its tokens are refused from now on, here and by "
                    + "the broker for new connections, and every broker node closes a connection the device still has "
                    + "open (MQTT DISCONNECT 0x87). Logging in again from the device starts a new session.")
    @APIResponse(responseCode = "204", description = "The session ended")
    @APIResponse(responseCode = "503", description = "The logout is stored but Redis did not confirm the message "
            + "that closes the device's open connection (change-not-propagated; retrying is safe), or the store is "
            + "unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "The device id is invalid (validation-error naming deviceId)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "You never logged in from this device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Void> logout(
            @Parameter(description = "The device to log out", required = true) @PathParam("deviceId") String deviceId) {
        return sessions.logout(caller.device().userId(), deviceId);
    }

    @POST
    @Path("/friend-requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "requestFriend", summary = "Ask another user to be friends",
            description = "If they asked you already, you become friends at once (status friends). "
                    + "Asking again while your request is pending changes nothing (200).")
    @APIResponse(responseCode = "201", description = "Your request was recorded (status pending)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FriendshipStatus.class)))
    @APIResponse(responseCode = "200", description = "Your request was pending already (status pending), or they had "
            + "asked you and you are friends now (status friends)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FriendshipStatus.class)))
    @APIResponse(responseCode = "400", description = "to is missing, not a UUID or yourself (validation-error naming to)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No user has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "You are friends already (already-friends)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> requestFriend(FriendRequestBody body) {
        return friendships.request(caller.device().userId(), body).thenApply(outcome -> Response
                .status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(outcome.status())
                .build());
    }

    @GET
    @Path("/friend-requests")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getFriendRequests", summary = "Friend requests waiting for your answer, oldest first")
    @APIResponse(responseCode = "200", description = "The incoming requests",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = FriendRequestView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<FriendRequestView>> friendRequests() {
        return friendships.incoming(caller.device().userId());
    }

    @POST
    @Path("/friend-requests/{from}/accept")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "acceptFriendRequest", summary = "Accept a friend request",
            description = "Both of you become friends and the request is removed. Idempotent: 200 when you are friends already.")
    @APIResponse(responseCode = "200", description = "You are friends (status friends)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FriendshipStatus.class)))
    @APIResponse(responseCode = "400", description = "from is not a UUID (validation-error naming from)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "There is no request from this user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<FriendshipStatus> acceptFriendRequest(
            @Parameter(description = "The user who asked", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("from") String from) {
        return friendships.accept(caller.device().userId(), from);
    }

    @DELETE
    @Path("/friend-requests/{from}")
    @Operation(operationId = "declineFriendRequest", summary = "Decline a friend request",
            description = "Idempotent: 204 also when there is no such request.")
    @APIResponse(responseCode = "204", description = "The request is gone")
    @APIResponse(responseCode = "400", description = "from is not a UUID (validation-error naming from)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Void> declineFriendRequest(
            @Parameter(description = "The user who asked", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("from") String from) {
        return friendships.decline(caller.device().userId(), from);
    }

    @GET
    @Path("/friends")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAllFriends", summary = "Your friends, by handle (public profile fields only)")
    @APIResponse(responseCode = "200", description = "Your friends",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = FriendView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<FriendView>> friends() {
        return friendships.friends(caller.device().userId());
    }

    @DELETE
    @Path("/friends/{id}")
    @Operation(operationId = "removeFriend", summary = "End a friendship, for both of you",
            description = "Idempotent: 204 also when you were not friends.")
    @APIResponse(responseCode = "204", description = "You are not friends any more, and neither of you sees the other's "
            + "presence (subscriptions to it were dropped on every broker node)")
    @APIResponse(responseCode = "503", description = "The friendship is ended but Redis did not confirm the message that "
            + "drops presence subscriptions already made (change-not-propagated); retrying is safe",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID (validation-error naming id)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Void> removeFriend(
            @Parameter(description = "The friend's id", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return friendships.remove(caller.device().userId(), id);
    }

    @GET
    @Path("/conversations")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getConversations", summary = "Your conversations, newest activity first",
            description = "Each with its newest message, your unread count and the participants' receipt watermarks.")
    @APIResponse(responseCode = "200", description = "Your conversations",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ConversationView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<ConversationView>> conversations() {
        return conversations.of(caller.device().userId());
    }

    @POST
    @Path("/sync")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "sync", summary = "Catch up: exactly the messages this device is missing",
            description = "Send, per conversation, the last seq the device holds; conversations you take part in "
                    + "but do not list start from 0. The answer holds the missing messages (per conversation oldest "
                    + "first, conversations in id order) up to the limit, the cursors to send next and whether "
                    + "that was all. Listed conversations you do not take part in are left out. The same as "
                    + "publishing to users/{me}/sync over MQTT.")
    @APIResponse(responseCode = "200", description = "The next page of missing messages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SyncPage.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON (malformed-body), or a cursor or the limit "
            + "is invalid, or an unknown field (validation-error naming each field, e.g. cursors.{id} or limit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<SyncPage> sync(SyncBody body) {
        return catchUp.sync(caller.device().userId(), body);
    }

    @GET
    @Path("/devices")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDevices", summary = "Your devices and their push registrations",
            description = "Every device you logged in from, in device id order. Logged-out devices are listed "
                    + "without a push token.")
    @APIResponse(responseCode = "200", description = "Your devices",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = DeviceView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<DeviceView>> devices() {
        return devices.of(caller.device().userId());
    }

    @PUT
    @Path("/devices/{deviceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerPushToken", summary = "Register (or replace) a device's push token",
            description = "For any of your logged-in devices, usually the calling one. push-service notifies the "
                    + "device through it while none of your devices is online. Logout removes it.")
    @APIResponse(responseCode = "200", description = "The device with its registration",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeviceView.class)))
    @APIResponse(responseCode = "400", description = "deviceId, platform or pushToken is invalid, an unknown field, "
            + "or the body is not JSON (validation-error naming each field, or malformed-body)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "You never logged in from this device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The device is logged out (device-logged-out): log in from it first",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<DeviceView> registerPushToken(
            @Parameter(description = "One of your devices", required = true) @PathParam("deviceId") String deviceId,
            PushRegistrationBody body) {
        return devices.register(caller.device().userId(), deviceId, body);
    }

    @GET
    @Path("/presence")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getOwnPresence", summary = "Your presence settings and your true presence",
            description = "You always see your true status and last seen; friends see what the settings allow.")
    @APIResponse(responseCode = "200", description = "Your settings and presence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OwnPresenceView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<OwnPresenceView> ownPresence() {
        return presence.own(caller.device().userId());
    }

    @PUT
    @Path("/presence")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setStatus", summary = "Set what your friends see of your presence",
            description = "invisible: friends see you offline without last seen; showLastSeen false: friends see "
                    + "online/offline without last seen. Not reciprocal: you still see theirs. Friends subscribed to "
                    + "presence/{you} get the change at once (within presence-bridge's one publish per second).")
    @APIResponse(responseCode = "200", description = "Your settings and presence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OwnPresenceView.class)))
    @APIResponse(responseCode = "400", description = "visibility or showLastSeen is missing or invalid, an unknown "
            + "field, or the body is not JSON (validation-error naming each field, or malformed-body)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The settings are stored but Redis did not confirm telling "
            + "presence-bridge (change-not-propagated; friends see them with your next presence change; retrying is "
            + "safe), or the store is unavailable (store-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<OwnPresenceView> setPresence(PresenceSettingsBody body) {
        return presence.update(caller.device().userId(), body);
    }

    @DELETE
    @Path("/devices/{deviceId}")
    @Operation(operationId = "unregisterPushToken", summary = "Remove a device's push token",
            description = "The device stays logged in (logout is DELETE /v1/me/devices/{deviceId}/session). "
                    + "Idempotent: 204 also when it had no token.")
    @APIResponse(responseCode = "204", description = "The device has no push token")
    @APIResponse(responseCode = "400", description = "The device id is invalid (validation-error naming deviceId)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "You never logged in from this device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Void> unregisterPushToken(
            @Parameter(description = "One of your devices", required = true) @PathParam("deviceId") String deviceId) {
        return devices.unregister(caller.device().userId(), deviceId);
    }

    @GET
    @Path("/groups")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getMyGroups", summary = "The groups you are a member of, by name",
            description = "Each with your role and its member count; the groups themselves are under /v1/groups/{id}.")
    @APIResponse(responseCode = "200", description = "Your groups",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = GroupView.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<List<GroupView>> groups() {
        return groups.mine(caller.device().userId());
    }
}
