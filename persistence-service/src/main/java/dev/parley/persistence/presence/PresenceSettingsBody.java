package dev.parley.persistence.presence;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /v1/me/presence}: both settings, replaced together. */
@Schema(name = "PresenceSettings", description = "What your friends may see of your presence")
public record PresenceSettingsBody(
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"visible", "invisible"},
                description = "invisible: friends see you offline, without last seen") String visibility,
        @Schema(required = true, description = "false: friends see online/offline but not when you were last "
                + "online (you still see theirs)") Boolean showLastSeen) {
}
