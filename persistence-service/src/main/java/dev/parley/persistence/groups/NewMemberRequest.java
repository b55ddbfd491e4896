package dev.parley.persistence.groups;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/groups/{id}/members} (joinGroup). */
@Schema(name = "NewMember", description = "Whom to add")
public record NewMemberRequest(
        @Schema(required = true, type = SchemaType.STRING, format = "uuid",
                description = "The user to add (an admin adds anyone registered); your own id answers whether "
                        + "you are a member already") String userId) {
}
