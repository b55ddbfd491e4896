package dev.parley.persistence.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.store.groups.GroupStore.Member;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A member of a group after an add or a role change, with the roster version that includes it. */
@Schema(name = "Membership", description = "A member of a group and the roster version that includes them")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MembershipView(
        @Schema(required = true) UUID groupId,
        @Schema(required = true) UUID userId,
        @Schema(required = true, enumeration = {"admin", "member"}) String role,
        @Schema(required = true) Instant joinedAt,
        @Schema(required = true, description = "The group conversation's last seq when they joined: they receive "
                + "the messages after it") long joinedAfterSeq,
        @Schema(description = "The admin who added them; absent for the creator") UUID addedBy,
        @Schema(required = true, description = "The group's roster version that includes this membership (the "
                + "broker enforces it before this answer is sent)") long rosterVersion) {

    static MembershipView of(UUID groupId, Member member, long rosterVersion) {
        return new MembershipView(groupId, member.userId(), member.role().name(), member.joinedAt(),
                member.joinedAfterSeq(), member.addedBy(), rosterVersion);
    }
}
