package dev.parley.persistence.users;

import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.problems.RequestValues;
import jakarta.ws.rs.GET;
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

    UserResource(UserDirectory directory) {
        this.directory = directory;
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
}
