package dev.parley.persistence.conversations;

import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.tokens.BearerAuthenticated;
import dev.parley.persistence.tokens.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import dev.parley.protocol.ConversationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/conversations")
@BearerAuthenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "conversations", description = "History of the conversations you take part in")
final class ConversationResource {

    private final Caller caller;
    private final History history;
    private final MessageReceipts receipts;

    ConversationResource(Caller caller, History history, MessageReceipts receipts) {
        this.caller = caller;
        this.history = history;
        this.receipts = receipts;
    }

    /** Parameters are taken as text so that a bad one is a 400 naming it, not JAX-RS' bare 404. */
    @GET
    @Path("/{id}/messages")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getHistory", summary = "A page of a conversation's history, oldest first",
            description = "Without beforeSeq and afterSeq: the newest page. beforeSeq: the messages just before that "
                    + "seq (page backwards with the first seq of a page). afterSeq: the messages just after it (page "
                    + "forwards with the last seq). Only the conversation's participants may read it; a 1:1 "
                    + "conversation of yours without messages is an empty page.")
    @APIResponse(responseCode = "200", description = "The page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "400", description = "The id is not a conversation id, a seq or the limit is out of "
            + "range, or both beforeSeq and afterSeq are given (validation-error naming each field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a participant of this conversation (not-a-participant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<HistoryPage> messages(
            @Parameter(description = "dm:{smallerUserId}:{largerUserId} or g:{groupId}", required = true,
                    example = "dm:0b6f2b1e-5c1d-4a8e-9f3a-2c4d6e8f0a1b:9816c3a0-7e2f-4b5a-8c9d-0e1f2a3b4c5d") @PathParam("id") String id,
            @Parameter(description = "Messages with a seq below this (1 or more)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
            @QueryParam("beforeSeq") String beforeSeq,
            @Parameter(description = "Messages with a seq above this (0 or more); not together with beforeSeq",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
            @QueryParam("afterSeq") String afterSeq,
            @Parameter(description = "At most this many messages, 1-" + History.MAX_LIMIT + " (default "
                    + History.DEFAULT_LIMIT + ")", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + History.MAX_LIMIT, defaultValue = "" + History.DEFAULT_LIMIT))
            @QueryParam("limit") String limit) {
        History.Query query = History.validate(id, beforeSeq, afterSeq, limit);
        return history.page(caller.device().userId(), query);
    }

    @GET
    @Path("/{id}/messages/{seq}/receipts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getMessageReceipts", summary = "Who has received and read one message",
            description = "For the sender's \"read by 12 of 40\": the conversation's current participants other than "
                    + "the sender (in a group, the members who joined before the message), each as read, delivered "
                    + "(a device has it) or waiting. Derived from the receipt watermarks.")
    @APIResponse(responseCode = "200", description = "The message's receipts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MessageReceiptsView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a conversation id or the seq not a whole number "
            + "from 1 (validation-error naming the field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid bearer token (unauthenticated), or the "
            + "token's device is logged out (session-ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "You are not a participant of this conversation (not-a-participant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such message, or one from before you joined the group",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<MessageReceiptsView> receipts(
            @Parameter(description = "dm:{smallerUserId}:{largerUserId} or g:{groupId}", required = true)
            @PathParam("id") String id,
            @Parameter(description = "The message's seq", required = true,
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
            @PathParam("seq") String seq) {
        List<FieldError> errors = new ArrayList<>();
        ConversationId conversation = ConversationId.parse(id).orElse(null);
        if (conversation == null) {
            errors.add(new FieldError("id", ConversationAccess.ID_RULE));
        }
        Long parsed = History.seq("seq", seq, 1, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return receipts.of(caller.device().userId(), conversation, parsed);
    }
}
