package dev.parley.persistence.friends;

import dev.parley.store.users.UserRecord;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pending request to you: who sent it (public profile fields only) and when. */
@Schema(name = "IncomingFriendRequest", description = "A friend request waiting for your answer")
public record FriendRequestView(
        @Schema(required = true, description = "The id of the user who asked") UUID from,
        @Schema(required = true, example = "ada") String handle,
        @Schema(required = true, example = "Ada Lovelace") String displayName,
        @Schema(required = true) Instant createdAt) {

    static FriendRequestView of(UserRecord user, Instant createdAt) {
        return new FriendRequestView(user.userId(), user.handle(), user.displayName(), createdAt);
    }
}
