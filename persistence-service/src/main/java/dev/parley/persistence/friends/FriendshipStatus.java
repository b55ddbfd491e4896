package dev.parley.persistence.friends;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where you stand with another user after a request or an accept. */
@Schema(name = "FriendshipStatus", description = "Where you stand with the other user")
public record FriendshipStatus(
        @Schema(required = true, description = "The other user") UUID user,
        @Schema(required = true, enumeration = {"pending", "friends"},
                description = "pending: your request waits for their answer; friends: you are friends") String status) {

    static final String PENDING = "pending";
    static final String FRIENDS = "friends";
}
