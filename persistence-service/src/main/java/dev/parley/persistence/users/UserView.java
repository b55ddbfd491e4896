package dev.parley.persistence.users;

import dev.parley.store.users.UserRecord;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A user's public profile. Phone, e-mail and the password hash stay out: contact details are for the
 * user themself (a later {@code /v1/me} endpoint), never for whoever knows an id.
 */
@Schema(name = "User", description = "A user's public profile")
record UserView(
        @Schema(required = true) UUID id,
        @Schema(required = true, example = "ada") String handle,
        @Schema(required = true, example = "Ada Lovelace") String displayName,
        @Schema(required = true) Instant createdAt) {

    static UserView of(UserRecord user) {
        return new UserView(user.userId(), user.handle(), user.displayName(), user.createdAt());
    }
}
