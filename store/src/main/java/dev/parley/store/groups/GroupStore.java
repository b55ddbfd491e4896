package dev.parley.store.groups;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.parley.protocol.ConversationId;
import dev.parley.store.Pages;
import dev.parley.store.messages.ConversationIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Groups and their rosters ({@code groups}, {@code group_members}); every call is asynchronous.
 *
 * <p>Every roster change is a compare-and-set on the group's {@code roster_version}: read the roster,
 * decide, then apply the change in one conditional batch on the roster partition that only succeeds if
 * nobody changed the roster since the read. A lost race re-reads and decides again, so the 200-member
 * cap and "already a member" hold however many changes race, and each change gets its own version.
 */
public final class GroupStore {

    public static final int MAX_MEMBERS = 200;
    /** Enough for every one of a burst of 200 racing changes to get its turn. */
    private static final int MAX_ATTEMPTS = 250;

    public enum Role {
        admin, member
    }

    public record Group(UUID groupId, String name, String description, UUID createdBy, Instant createdAt) {
        public Group {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(createdBy, "createdBy");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public String conversationId() {
            return ConversationId.group(groupId).value();
        }
    }

    /** A member; {@code joinedAfterSeq} is the group's last seq when they joined: they see what follows. */
    public record Member(UUID userId, Role role, Instant joinedAt, long joinedAfterSeq, UUID addedBy) {
        public Member {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(joinedAt, "joinedAt");
        }
    }

    /** A group's members at one roster version. */
    public record Roster(UUID groupId, long version, List<Member> members) {
        public Roster {
            members = List.copyOf(members);
        }

        public Optional<Member> member(UUID userId) {
            return members.stream().filter(m -> m.userId().equals(userId)).findFirst();
        }

        public boolean isMember(UUID userId) {
            return member(userId).isPresent();
        }

        public long admins() {
            return members.stream().filter(m -> m.role() == Role.admin).count();
        }
    }

    public enum Result {
        /** The roster changed; the outcome carries the new roster. */
        CHANGED,
        /** Nothing to do: already a member, not a member, already in that role. */
        UNCHANGED,
        /** The group has {@link #MAX_MEMBERS} members. */
        FULL,
        NO_GROUP
    }

    /** What a roster change did, and the roster after it (empty for {@link Result#NO_GROUP}). */
    public record Outcome(Result result, Optional<Roster> roster) {
    }

    /** Thrown when a change kept losing races for {@link #MAX_ATTEMPTS} attempts. */
    public static final class RosterContentionException extends RuntimeException {
        RosterContentionException(UUID groupId) {
            super("group " + groupId + ": roster kept changing under " + MAX_ATTEMPTS + " attempts; try again");
        }
    }

    private final CqlSession session;
    private final ConversationIndex conversations;
    private final PreparedStatement insertGroup;
    private final PreparedStatement selectGroup;
    private final PreparedStatement updateGroup;
    private final PreparedStatement selectRoster;
    private final PreparedStatement initRoster;
    private final PreparedStatement casRoster;
    private final PreparedStatement insertMember;
    private final PreparedStatement deleteMember;
    private final PreparedStatement updateRole;

    public GroupStore(CqlSession session, String keyspace, ConversationIndex conversations) {
        this.session = session;
        this.conversations = conversations;
        this.insertGroup = session.prepare("INSERT INTO " + keyspace
                + ".groups (group_id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)");
        this.selectGroup = session.prepare("SELECT group_id, name, description, created_by, created_at FROM "
                + keyspace + ".groups WHERE group_id = ?");
        this.updateGroup = session.prepare("UPDATE " + keyspace
                + ".groups SET name = ?, description = ? WHERE group_id = ?");
        this.selectRoster = session.prepare("SELECT user_id, role, joined_at, joined_after_seq, added_by, "
                + "roster_version FROM " + keyspace + ".group_members WHERE group_id = ?");
        this.initRoster = session.prepare("UPDATE " + keyspace
                + ".group_members SET member_count = ?, roster_version = ? WHERE group_id = ?");
        this.casRoster = session.prepare("UPDATE " + keyspace
                + ".group_members SET member_count = ?, roster_version = ? WHERE group_id = ? IF roster_version = ?");
        this.insertMember = session.prepare("INSERT INTO " + keyspace + ".group_members (group_id, user_id, role, "
                + "joined_at, joined_after_seq, added_by) VALUES (?, ?, ?, ?, ?, ?)");
        this.deleteMember = session.prepare("DELETE FROM " + keyspace
                + ".group_members WHERE group_id = ? AND user_id = ?");
        this.updateRole = session.prepare("UPDATE " + keyspace
                + ".group_members SET role = ? WHERE group_id = ? AND user_id = ?");
    }

    /** Creates a group with its first members (the creator among them, usually as admin), roster version 1. */
    public CompletionStage<Roster> create(Group group, List<Member> members) {
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a group has 1 to " + MAX_MEMBERS + " members, got " + members.size());
        }
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED)
                .addStatement(insertGroup.bind(group.groupId(), group.name(), group.description(),
                        group.createdBy(), group.createdAt()))
                .addStatement(initRoster.bind(members.size(), 1L, group.groupId()));
        members.forEach(m -> batch.addStatement(bindInsert(group.groupId(), m)));
        Roster roster = new Roster(group.groupId(), 1L, members);
        return session.executeAsync(batch.build())
                .thenCompose(rs -> indexAll(group.conversationId(), members))
                .thenApply(done -> roster);
    }

    public CompletionStage<Optional<Group>> find(UUID groupId) {
        return session.executeAsync(selectGroup.bind(groupId)).thenApply(rs -> Optional.ofNullable(rs.one())
                .map(row -> new Group(row.getUuid("group_id"), row.getString("name"), row.getString("description"),
                        row.getUuid("created_by"), row.getInstant("created_at"))));
    }

    /** Renames a group or changes its description; the caller knows the group exists. */
    public CompletionStage<Void> describe(UUID groupId, String name, String description) {
        return session.executeAsync(updateGroup.bind(name, description, groupId)).thenApply(rs -> null);
    }

    /** The group's members at its current roster version, in one partition read; empty for no group. */
    public CompletionStage<Optional<Roster>> roster(UUID groupId) {
        return Pages.all(session.executeAsync(selectRoster.bind(groupId)), row -> row).thenApply(rows -> {
            if (rows.isEmpty() || rows.get(0).isNull("roster_version")) {
                return Optional.empty();
            }
            long version = rows.get(0).getLong("roster_version");
            List<Member> members = new ArrayList<>();
            for (Row row : rows) {
                if (!row.isNull("user_id")) {
                    members.add(new Member(row.getUuid("user_id"), Role.valueOf(row.getString("role")),
                            row.getInstant("joined_at"), row.getLong("joined_after_seq"), row.getUuid("added_by")));
                }
            }
            return Optional.of(new Roster(groupId, version, members));
        });
    }

    /** Adds a member unless they are one already or the group is full. */
    public CompletionStage<Outcome> join(UUID groupId, Member member) {
        return change(groupId, roster -> {
            if (roster.isMember(member.userId())) {
                return Decision.unchanged();
            }
            if (roster.members().size() >= MAX_MEMBERS) {
                return Decision.refuse(Result.FULL);
            }
            List<Member> after = new ArrayList<>(roster.members());
            after.add(member);
            return Decision.apply(after, List.of(bindInsert(groupId, member)));
        }).thenCompose(outcome -> outcome.result() == Result.CHANGED || outcome.result() == Result.UNCHANGED
                ? conversations.recordMembership(member.userId(), ConversationId.group(groupId).value(),
                        member.joinedAt()).thenApply(done -> outcome)
                : CompletableFuture.completedFuture(outcome));
    }

    /** Removes a member; {@link Result#UNCHANGED} when they were not one. */
    public CompletionStage<Outcome> leave(UUID groupId, UUID userId) {
        return change(groupId, roster -> {
            if (!roster.isMember(userId)) {
                return Decision.unchanged();
            }
            List<Member> after = roster.members().stream().filter(m -> !m.userId().equals(userId)).toList();
            return Decision.apply(after, List.of(deleteMember.bind(groupId, userId)));
        }).thenCompose(outcome -> outcome.result() == Result.NO_GROUP
                ? CompletableFuture.completedFuture(outcome)
                : conversations.forget(userId, ConversationId.group(groupId).value()).thenApply(done -> outcome));
    }

    /** Makes a member an admin or a plain member; {@link Result#UNCHANGED} for non-members or no change. */
    public CompletionStage<Outcome> setRole(UUID groupId, UUID userId, Role role) {
        return change(groupId, roster -> {
            Optional<Member> current = roster.member(userId);
            if (current.isEmpty() || current.get().role() == role) {
                return Decision.unchanged();
            }
            List<Member> after = roster.members().stream()
                    .map(m -> m.userId().equals(userId)
                            ? new Member(m.userId(), role, m.joinedAt(), m.joinedAfterSeq(), m.addedBy()) : m)
                    .toList();
            return Decision.apply(after, List.of(updateRole.bind(role.name(), groupId, userId)));
        });
    }

    /** What a roster change decided after reading the current roster. */
    private record Decision(Result refusal, List<Member> after, List<BoundStatement> writes) {
        static Decision unchanged() {
            return new Decision(Result.UNCHANGED, null, List.of());
        }

        static Decision refuse(Result result) {
            return new Decision(result, null, List.of());
        }

        static Decision apply(List<Member> after, List<BoundStatement> writes) {
            return new Decision(null, after, writes);
        }
    }

    private CompletionStage<Outcome> change(UUID groupId, Function<Roster, Decision> decide) {
        return attempt(groupId, decide, 1);
    }

    private CompletionStage<Outcome> attempt(UUID groupId, Function<Roster, Decision> decide, int attempt) {
        return roster(groupId).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(new Outcome(Result.NO_GROUP, Optional.empty()));
            }
            Roster roster = current.get();
            Decision decision = decide.apply(roster);
            if (decision.refusal() != null) {
                return CompletableFuture.completedFuture(new Outcome(decision.refusal(), current));
            }
            long next = roster.version() + 1;
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED)
                    .addStatement(casRoster.bind(decision.after().size(), next, groupId, roster.version()));
            decision.writes().forEach(batch::addStatement);
            return session.executeAsync(batch.build())
                    .handle((rs, failure) -> applied(rs, failure))
                    .thenCompose(applied -> {
                        if (applied) {
                            return CompletableFuture.completedFuture(new Outcome(Result.CHANGED,
                                    Optional.of(new Roster(groupId, next, decision.after()))));
                        }
                        if (attempt >= MAX_ATTEMPTS) {
                            throw new RosterContentionException(groupId);
                        }
                        // Another change won this round (or the outcome is unknown): read again after a
                        // short random pause, so racing writers do not collide in lockstep.
                        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                        ThreadLocalRandom.current().nextInt(1, 3 + Math.min(attempt, 20)),
                                        TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> attempt(groupId, decide, attempt + 1));
                    });
        });
    }

    /**
     * Whether the conditional batch applied. A Paxos timeout leaves the outcome unknown; treating it as
     * not applied is safe because the next attempt re-reads and finds the change if it did land.
     */
    private static boolean applied(AsyncResultSet rs, Throwable failure) {
        if (failure == null) {
            return rs.wasApplied();
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof WriteTimeoutException timeout
                && (timeout.getWriteType() == WriteType.CAS || timeout.getWriteType() == WriteType.BATCH_LOG)) {
            return false;
        }
        throw new CompletionException(cause);
    }

    private BoundStatement bindInsert(UUID groupId, Member m) {
        return insertMember.bind(groupId, m.userId(), m.role().name(), m.joinedAt(), m.joinedAfterSeq(), m.addedBy());
    }

    private CompletionStage<Void> indexAll(String conversationId, List<Member> members) {
        return CompletableFuture.allOf(members.stream()
                .map(m -> conversations.recordMembership(m.userId(), conversationId, m.joinedAt()).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }
}
