package dev.parley.persistence.presence;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Your presence settings and your true presence (what you see; friends may see less). */
@Schema(name = "OwnPresence", description = "Your presence settings and your true presence")
public record OwnPresenceView(
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"visible", "invisible"}) String visibility,
        @Schema(required = true) boolean showLastSeen,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"online", "offline"}) String status,
        @Schema(required = true, nullable = true, description = "When you were last online (UTC); null when "
                + "never seen online") Instant lastSeen) {
}
