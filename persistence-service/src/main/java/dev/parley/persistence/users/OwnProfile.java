package dev.parley.persistence.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.store.users.UserRecord;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The caller's own profile: the public one plus contact details. Never the password hash. */
@Schema(name = "OwnProfile", description = "Your own profile, with your contact details")
@JsonInclude(JsonInclude.Include.NON_NULL)
record OwnProfile(
        @Schema(required = true) UUID id,
        @Schema(required = true, example = "ada") String handle,
        @Schema(required = true, example = "Ada Lovelace") String displayName,
        @Schema(description = "Absent when not given", example = "+447700900123") String phone,
        @Schema(description = "Absent when not given", example = "ada@example.org") String email,
        @Schema(required = true) Instant createdAt) {

    static OwnProfile of(UserRecord user) {
        return new OwnProfile(user.userId(), user.handle(), user.displayName(), user.phone(), user.email(),
                user.createdAt());
    }
}
