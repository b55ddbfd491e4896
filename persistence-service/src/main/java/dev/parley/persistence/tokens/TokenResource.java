package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/tokens")
@Tag(name = "tokens", description = "Login: access tokens for devices (REST bearer token and MQTT password)")
@SecurityScheme(securitySchemeName = TokenResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "The token from POST /v1/tokens")
final class TokenResource {

    static final String BEARER = "bearer";

    private final Sessions sessions;
    private final Caller caller;

    TokenResource(Sessions sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "login", summary = "Log a device in",
            description = "Checks handle and password and issues a token for the device, recording the device.")
    @APIResponse(responseCode = "200", description = "Logged in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid (validation-error, naming it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "The handle or the password is wrong (invalid-credentials; "
            + "the same answer for both)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed logins for this handle within the window "
            + "(too-many-login-attempts; parley.auth.login-attempts: 10 per 5 minutes by default); the Retry-After "
            + "header says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<TokenResponse> login(LoginRequest request) {
        return sessions.login(request);
    }

    @POST
    @Path("/refresh")
    @BearerAuthenticated
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = BEARER)
    @Operation(operationId = "refreshToken", summary = "A fresh token for the same device",
            description = "Send the device's newest token while it is still valid. Each token can be refreshed once.")
    @APIResponse(responseCode = "200", description = "The new token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid token (unauthenticated), or the device's "
            + "session ended: logged out or a newer token exists (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<TokenResponse> refresh() {
        return sessions.refresh(caller.token());
    }
}
