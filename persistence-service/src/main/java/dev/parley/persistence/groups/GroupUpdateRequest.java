package dev.parley.persistence.groups;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /v1/groups/{id}}: what to change; absent (or null) fields stay as they are. */
@Schema(name = "GroupUpdate", description = "A new name and/or description; at least one of the two")
public record GroupUpdateRequest(
        @Schema(example = "Climbing club (indoor)", minLength = 1, maxLength = GroupFields.MAX_NAME,
                description = "1-100 characters (Unicode code points), not only spaces, no control characters") String name,
        @Schema(maxLength = GroupFields.MAX_DESCRIPTION,
                description = "At most 500 characters; an empty string removes the description") String description) {
}
