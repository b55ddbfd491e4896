package dev.parley.persistence.friends;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a friend request; the sender is always the token's user, never a body field. */
@Schema(name = "FriendRequest", description = "Whom to ask")
public record FriendRequestBody(
        @Schema(required = true, type = SchemaType.STRING, format = "uuid",
                description = "The id of the user to ask") String to) {
}
