package dev.parley.persistence.presence;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user's presence: online while any of their devices is connected. */
@Schema(name = "Presence", description = "A user's presence")
public record PresenceView(
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"online", "offline"}) String status,
        @Schema(required = true, nullable = true, description = "When the user was last online (UTC); null when "
                + "never seen online") Instant lastSeen) {
}
