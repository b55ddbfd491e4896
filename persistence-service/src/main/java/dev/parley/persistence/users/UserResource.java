package dev.parley.persistence.users;

import dev.parley.persistence.accounts.AccountValidation;
import dev.parley.persistence.accounts.Registration;
import dev.parley.persistence.accounts.RegistrationRequest;
import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.RequestValues;
import dev.parley.persistence.presence.Presence;
import dev.parley.persistence.presence.PresenceView;
import dev.parley.persistence.tokens.BearerAuthenticated;
import dev.parley.persistence.tokens.Caller;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/users")
@Tag(name = "users", description = "The user directory")
final class UserResource {

    private final UserDirectory directory;
    private final Registration registration;
    private final Presence presence;
    private final Caller caller;

    UserResource(UserDirectory directory, Registration registration, Presence presence, Caller caller) {
        this.directory = directory;
        this.registration = registration;
        this.presence = presence;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "register", summary = "Create an account",
            description = "Handle, e-mail and phone are unique; of concurrent registrations of one value exactly one succeeds.")
    @APIResponse(responseCode = "201", description = "Created; Location names the new user",
            headers = @Header(name = "Location", description = "/v1/users/{id}", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "Fields are missing or invalid (validation-error; errors names each)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The handle (handle-taken), e-mail (email-taken) or phone "
            + "(phone-taken) belongs to another account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> register(RegistrationRequest request, @Context UriInfo uri) {
        // Resolved now: the callback below runs on a driver thread, outside the request context that
        // Response.created would need to make a relative URI absolute.
        UriBuilder location = uri.getBaseUriBuilder().path("v1/users/{id}");
        return registration.register(request).thenApply(user -> Response
                .status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, location.build(user.userId()))
                .entity(UserView.of(user))
                .build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "findUserByHandle", summary = "The public profile of the user with a handle")
    @APIResponse(responseCode = "200", description = "The user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "handle is missing or cannot be a handle",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No user has this handle",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<UserView> findByHandle(
            @Parameter(description = "The handle, e.g. ada", required = true) @QueryParam("handle") String handle) {
        if (handle == null || handle.isBlank()) {
            throw ProblemException.invalidField("handle", "is required, e.g. /v1/users?handle=ada");
        }
        if (!AccountValidation.isPossibleHandle(handle)) {
            throw ProblemException.invalidField("handle", AccountValidation.handleRule());
        }
        return directory.findByHandle(handle).thenApply(UserView::of);
    }

    /** The id is taken as text so a malformed one is a 400 naming the field, not JAX-RS' bare 404. */
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getUser", summary = "A user's public profile")
    @APIResponse(responseCode = "200", description = "The user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No user has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<UserView> get(
            @Parameter(description = "The user's id", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return directory.find(RequestValues.uuid("id", id)).thenApply(UserView::of);
    }

    @GET
    @Path("/{id}/presence")
    @BearerAuthenticated
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getStatus", summary = "A user's presence (online, last seen)",
            description = "Your own or a friend's. Online while any of their devices is connected; lastSeen is "
                    + "null for someone never seen online. You see your own truth; a friend who is invisible reads "
                    + "offline with lastSeen null, one who hides last seen reads with lastSeen null.")
    @APIResponse(responseCode = "200", description = "The presence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PresenceView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID (validation-error naming id)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The user is not you and not your friend (not-a-friend)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No user has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<PresenceView> presence(
            @Parameter(description = "The user's id", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return presence.of(caller.device().userId(), RequestValues.uuid("id", id));
    }
}
