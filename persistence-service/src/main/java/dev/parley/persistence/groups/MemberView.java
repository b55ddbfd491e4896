package dev.parley.persistence.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.store.groups.GroupStore.Member;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One member of a group (getUsersInGroup). */
@Schema(name = "GroupMember", description = "A member of a group")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberView(
        @Schema(required = true) UUID userId,
        @Schema(required = true, enumeration = {"admin", "member"}) String role,
        @Schema(required = true) Instant joinedAt,
        @Schema(required = true, description = "The group conversation's last seq when they joined: their history "
                + "starts after it") long joinedAfterSeq,
        @Schema(description = "The admin who added them; absent for the creator") UUID addedBy) {

    static MemberView of(Member member) {
        return new MemberView(member.userId(), member.role().name(), member.joinedAt(), member.joinedAfterSeq(),
                member.addedBy());
    }
}
