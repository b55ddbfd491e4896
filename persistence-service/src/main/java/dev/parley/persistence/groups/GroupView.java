package dev.parley.persistence.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.store.groups.GroupStore.Group;
import dev.parley.store.groups.GroupStore.Role;
import dev.parley.store.groups.GroupStore.Roster;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A group as one of its members sees it. */
@Schema(name = "Group", description = "A group, as seen by one of its members")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupView(
        @Schema(required = true) UUID id,
        @Schema(required = true, example = "Climbing club") String name,
        @Schema(description = "Absent when the group has none") String description,
        @Schema(required = true) UUID createdBy,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, minimum = "1", maximum = "200") int memberCount,
        @Schema(required = true, description = "Increases with every change of the members or their roles")
        long rosterVersion,
        @Schema(required = true, enumeration = {"admin", "member"}, description = "Your role in the group")
        String yourRole) {

    static GroupView of(Group group, Roster roster, Role yourRole) {
        return new GroupView(group.groupId(), group.name(), group.description(), group.createdBy(),
                group.createdAt(), roster.members().size(), roster.version(), yourRole.name());
    }
}
