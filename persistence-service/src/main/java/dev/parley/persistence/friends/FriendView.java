package dev.parley.persistence.friends;

import dev.parley.store.users.UserRecord;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A friend: public profile fields only, never e-mail or phone. */
@Schema(name = "Friend", description = "One of your friends (public profile fields only)")
public record FriendView(
        @Schema(required = true) UUID id,
        @Schema(required = true, example = "ada") String handle,
        @Schema(required = true, example = "Ada Lovelace") String displayName,
        @Schema(required = true, description = "When you became friends") Instant since) {

    static FriendView of(UserRecord user, Instant since) {
        return new FriendView(user.userId(), user.handle(), user.displayName(), since);
    }
}
