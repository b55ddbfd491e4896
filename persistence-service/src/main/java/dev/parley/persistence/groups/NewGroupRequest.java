package dev.parley.persistence.groups;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/groups}; the creator is the token's user and becomes the group's admin. */
@Schema(name = "NewGroup", description = "A group to create")
public record NewGroupRequest(
        @Schema(required = true, example = "Climbing club", minLength = 1, maxLength = GroupFields.MAX_NAME,
                description = "1-100 characters (Unicode code points), not only spaces, no control characters") String name,
        @Schema(example = "Saturday mornings at the wall", maxLength = GroupFields.MAX_DESCRIPTION,
                description = "Optional; at most 500 characters") String description,
        @Schema(type = SchemaType.ARRAY, maxItems = GroupFields.MAX_OTHER_MEMBERS,
                implementation = UUID.class,
                description = "Optional; ids of registered users to add as members (repeats and your own id are "
                        + "ignored); with you at most 200 members, so at most 199 others") List<String> members) {
}
