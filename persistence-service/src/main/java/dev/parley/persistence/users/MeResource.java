package dev.parley.persistence.users;

import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.tokens.BearerAuthenticated;
import dev.parley.persistence.tokens.Caller;
import dev.parley.persistence.tokens.Sessions;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
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

    MeResource(Caller caller, UserDirectory directory, Sessions sessions) {
        this.caller = caller;
        this.directory = directory;
        this.sessions = sessions;
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
            description = "Any of your devices, this one included. Its tokens can no longer be refreshed; tokens "
                    + "already issued stay valid until they expire (the broker does not check revocation yet).")
    @APIResponse(responseCode = "204", description = "The session ended")
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
}
