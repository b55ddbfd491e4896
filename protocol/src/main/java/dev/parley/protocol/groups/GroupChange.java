package dev.parley.protocol.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A change to a group that its members should see: persistence-service appends one to
 * {@link GroupChannels#changesStream} after the change is stored, and the broker turns it into a
 * system message in the group's history (with a seq) and an event on each member's
 * {@code users/{id}/events}.
 *
 * @param user         whom the change is about (joined, left, added, removed, promoted, demoted); null
 *                     for created and renamed
 * @param actor        who made the change (equal to {@code user} for a self-join or a leave)
 * @param rosterVersion the group's roster version after the change; together with the group id it
 *                     identifies the change, so delivering it twice stores one system message
 * @param name         the group's name after a created or renamed change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupChange(UUID groupId, Kind kind, UUID user, UUID actor, long rosterVersion, Instant at,
                          String name) {

    public enum Kind {
        created, joined, added, left, removed, promoted, demoted, renamed
    }

    public GroupChange {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
