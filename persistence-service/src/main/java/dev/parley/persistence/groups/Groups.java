package dev.parley.persistence.groups;

import dev.parley.persistence.groups.GroupFields.ValidNewGroup;
import dev.parley.persistence.groups.GroupFields.ValidUpdate;
import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.persistence.problems.RequestValues;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChange.Kind;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.groups.GroupStore.Group;
import dev.parley.store.groups.GroupStore.Member;
import dev.parley.store.groups.GroupStore.Outcome;
import dev.parley.store.groups.GroupStore.Role;
import dev.parley.store.groups.GroupStore.Roster;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Groups and their members. The caller's id always comes from the token (the resource passes it in);
 * ids from the request are parsed here so a bad one is a 400 naming the field.
 *
 * <p>Who may do what: any member reads the group and its members; admins rename it, add anyone
 * registered, remove anyone and change roles; every member may leave. There are no invitations yet,
 * so nobody joins by themself: an admin adds them. A group never loses its last admin while it has
 * members: the last admin leaving promotes the longest-standing member, and the last admin cannot be
 * demoted.
 *
 * <p>Permission checks read the roster just before the change; the change itself is a compare-and-set
 * in {@link GroupStore}, so the 200-member cap and "already a member" hold under any concurrency.
 * Every stored change is announced to the broker ({@link GroupChangePublisher}) before the answer.
 */
@ApplicationScoped
public class Groups {

    private final GroupStore store;
    private final MessageStore messages;
    private final ConversationIndex conversations;
    private final UserStore users;
    private final GroupChangePublisher changes;
    private final Clock clock = Clock.systemUTC();

    Groups(GroupStore store, MessageStore messages, ConversationIndex conversations, UserStore users,
           GroupChangePublisher changes) {
        this.store = store;
        this.messages = messages;
        this.conversations = conversations;
        this.users = users;
        this.changes = changes;
    }

    /** Creates a group with the caller as its admin and the listed users as members. */
    public CompletionStage<GroupView> create(UUID me, NewGroupRequest request) {
        ValidNewGroup valid = GroupFields.validate(request, me);
        Instant now = now();
        Group group = new Group(UUID.randomUUID(), valid.name(), valid.description(), me, now);
        return requireUsers(valid.members()).thenCompose(ok -> {
            List<Member> members = new ArrayList<>();
            // A new group has no messages yet: everyone's history starts at its beginning (seq 0).
            members.add(new Member(me, Role.admin, now, 0, null));
            valid.members().forEach(user -> members.add(new Member(user, Role.member, now, 0, me)));
            return store.create(group, members);
        }).thenCompose(roster -> changes.announce(new GroupChange(group.groupId(), Kind.created, null, me,
                        roster.version(), now, group.name()))
                .thenApply(announced -> GroupView.of(group, roster, Role.admin)));
    }

    /** The group, for a member. */
    public CompletionStage<GroupView> get(UUID me, String idText) {
        UUID groupId = RequestValues.uuid("id", idText);
        return existing(groupId).thenApply(found -> {
            Member caller = requireMember(found.roster(), me);
            return GroupView.of(found.group(), found.roster(), caller.role());
        });
    }

    /** Renames the group and/or changes its description; admins only. */
    public CompletionStage<GroupView> update(UUID me, String idText, GroupUpdateRequest request) {
        UUID groupId = RequestValues.uuid("id", idText);
        ValidUpdate valid = GroupFields.validate(request);
        return existing(groupId).thenCompose(found -> {
            requireAdmin(found.roster(), me, "rename the group or change its description");
            Group before = found.group();
            String name = valid.name() != null ? valid.name() : before.name();
            String description = valid.description() == null ? before.description()
                    : valid.description().isEmpty() ? null : valid.description();
            Group after = new Group(groupId, name, description, before.createdBy(), before.createdAt());
            // Not a roster change: the change event carries the current roster version, and the broker
            // tells changes apart by their stream entry.
            return store.describe(groupId, name, description)
                    .thenCompose(stored -> changes.announce(new GroupChange(groupId, Kind.renamed, null, me,
                            found.roster().version(), now(), name)))
                    .thenApply(announced -> GroupView.of(after, found.roster(), Role.admin));
        });
    }

    /** getUsersInGroup: the members, longest-standing first; for members. */
    public CompletionStage<List<MemberView>> members(UUID me, String idText) {
        UUID groupId = RequestValues.uuid("id", idText);
        return roster(groupId).thenApply(roster -> {
            requireMember(roster, me);
            return roster.members().stream().sorted(SENIORITY).map(MemberView::of).toList();
        });
    }

    /** What an add did: whether the user became a member now, and their membership. */
    public record Added(boolean created, MembershipView membership) {
    }

    /**
     * joinGroup: an admin adds a registered user. Idempotent: adding a member again answers with their
     * membership. A user asking for their own id gets their membership if they have one; joining by
     * oneself needs an invitation, which does not exist yet (403).
     */
    public CompletionStage<Added> add(UUID me, String idText, NewMemberRequest request) {
        UUID groupId = RequestValues.uuid("id", idText);
        if (request == null || request.userId() == null || request.userId().isBlank()) {
            throw ProblemException.invalidField("userId", "is required: the id of the user to add");
        }
        UUID user = RequestValues.uuid("userId", request.userId());
        return roster(groupId).thenCompose(roster -> {
            Optional<Member> already = roster.member(user);
            if (user.equals(me) && already.isEmpty()) {
                throw ProblemException.of(ProblemType.NOT_A_GROUP_MEMBER, "You are not a member of group " + groupId
                        + ": an admin of the group has to add you (groups have no invitations yet)");
            }
            if (!user.equals(me)) {
                requireAdmin(roster, me, "add members");
            }
            if (already.isPresent()) {
                return unchanged(groupId, roster).thenApply(
                        done -> new Added(false, MembershipView.of(groupId, already.get(), roster.version())));
            }
            return existingUser(user)
                    .thenCompose(exists -> messages.lastSeq(ConversationId.group(groupId).value()))
                    .thenCompose(lastSeq -> join(me, groupId, new Member(user, Role.member, now(), lastSeq, me)));
        });
    }

    private CompletionStage<Added> join(UUID me, UUID groupId, Member member) {
        return store.join(groupId, member).thenCompose(outcome -> switch (outcome.result()) {
            case NO_GROUP -> throw noGroup(groupId);
            case FULL -> throw ProblemException.of(ProblemType.GROUP_FULL, "Group " + groupId + " has "
                    + GroupStore.MAX_MEMBERS + " members, the most a group can have; someone has to leave first");
            case UNCHANGED -> {
                // A racing add of the same user won: answer with the membership it stored.
                Roster roster = outcome.roster().orElseThrow();
                yield unchanged(groupId, roster).thenApply(done -> new Added(false,
                        MembershipView.of(groupId, roster.member(member.userId()).orElseThrow(), roster.version())));
            }
            case CHANGED -> {
                Roster roster = outcome.roster().orElseThrow();
                Kind kind = member.userId().equals(me) ? Kind.joined : Kind.added;
                yield changes.announce(new GroupChange(groupId, kind, member.userId(), me, roster.version(),
                                member.joinedAt(), null))
                        .thenApply(done -> new Added(true, MembershipView.of(groupId, member, roster.version())));
            }
        });
    }

    /**
     * leaveGroup: a member leaves, or an admin removes a member. Idempotent: removing someone who is not
     * a member answers the same (204), so a retried leave is safe.
     */
    public CompletionStage<Void> remove(UUID me, String idText, String userText) {
        UUID groupId = RequestValues.uuid("id", idText);
        UUID user = RequestValues.uuid("userId", userText);
        return roster(groupId).thenCompose(roster -> {
            if (!user.equals(me)) {
                requireAdmin(roster, me, "remove other members");
            }
            return store.leave(groupId, user);
        }).thenCompose(outcome -> switch (outcome.result()) {
            case NO_GROUP -> throw noGroup(groupId);
            case CHANGED -> changes.announce(new GroupChange(groupId, user.equals(me) ? Kind.left : Kind.removed,
                            user, me, outcome.roster().orElseThrow().version(), now(), null))
                    .thenCompose(done -> keepAnAdmin(groupId, me));
            default -> unchanged(groupId, outcome.roster().orElseThrow())
                    // A leave whose promotion failed half way is completed by its retry.
                    .thenCompose(done -> keepAnAdmin(groupId, me));
        });
    }

    /** Makes a member an admin or a plain member; admins only; the last admin cannot be demoted. */
    public CompletionStage<MembershipView> setRole(UUID me, String idText, String userText, Role role) {
        UUID groupId = RequestValues.uuid("id", idText);
        UUID user = RequestValues.uuid("userId", userText);
        return roster(groupId).thenCompose(roster -> {
            requireAdmin(roster, me, role == Role.admin ? "promote members" : "demote admins");
            Member member = roster.member(user).orElseThrow(() -> ProblemException.notFound(
                    "User " + user + " is not a member of group " + groupId));
            if (role == Role.member && member.role() == Role.admin && roster.admins() <= 1) {
                throw ProblemException.of(ProblemType.LAST_ADMIN, "User " + user + " is the only admin of group "
                        + groupId + ": promote another member first, so the group keeps an admin");
            }
            return store.setRole(groupId, user, role);
        }).thenCompose(outcome -> {
            if (outcome.result() == GroupStore.Result.NO_GROUP) {
                throw noGroup(groupId);
            }
            Roster after = outcome.roster().orElseThrow();
            Member member = after.member(user).orElseThrow(() -> ProblemException.notFound(
                    "User " + user + " is not a member of group " + groupId));
            CompletionStage<Void> told = outcome.result() == GroupStore.Result.CHANGED
                    ? changes.announce(new GroupChange(groupId, role == Role.admin ? Kind.promoted : Kind.demoted,
                            user, me, after.version(), now(), null))
                    : unchanged(groupId, after);
            // Two admins demoting each other at once both pass the check above; the repair restores one.
            return told.thenCompose(done -> role == Role.member ? keepAnAdmin(groupId, me)
                            : CompletableFuture.<Void>completedFuture(null))
                    .thenApply(done -> MembershipView.of(groupId, member, after.version()));
        });
    }

    /** The caller's groups, by name. */
    public CompletionStage<List<GroupView>> mine(UUID me) {
        return conversations.conversationsOf(me).thenCompose(ids -> {
            List<CompletableFuture<Optional<GroupView>>> lookups = new ArrayList<>();
            for (String id : ids) {
                ConversationId.parse(id).filter(c -> !c.isDirect()).ifPresent(c -> lookups.add(
                        mineIfMember(me, UUID.fromString(c.value().substring("g:".length()))).toCompletableFuture()));
            }
            return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(all -> lookups.stream()
                    .map(CompletableFuture::join)
                    .flatMap(Optional::stream)
                    .sorted(Comparator.comparing((GroupView g) -> g.name().toLowerCase(Locale.ROOT))
                            .thenComparing(GroupView::id))
                    .toList());
        });
    }

    /** The group if {@code me} is a member (the index is written after the roster, so it may lag a leave). */
    private CompletionStage<Optional<GroupView>> mineIfMember(UUID me, UUID groupId) {
        CompletableFuture<Optional<Group>> group = store.find(groupId).toCompletableFuture();
        CompletableFuture<Optional<Roster>> roster = store.roster(groupId).toCompletableFuture();
        return group.thenCombine(roster, (g, r) -> g.flatMap(found -> r.flatMap(
                members -> members.member(me).map(member -> GroupView.of(found, members, member.role())))));
    }

    /**
     * If the group has members but no admin (its last admin left, or two admins demoted each other at
     * once), promotes the longest-standing member. Re-reads the roster, so of racing repairs the later
     * ones find the admin and do nothing.
     */
    private CompletionStage<Void> keepAnAdmin(UUID groupId, UUID actor) {
        return store.roster(groupId).thenCompose(current -> {
            Optional<Member> successor = current.filter(r -> r.admins() == 0)
                    .flatMap(r -> r.members().stream().min(SENIORITY));
            if (successor.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            UUID user = successor.get().userId();
            return store.setRole(groupId, user, Role.admin).thenCompose(outcome -> outcome.result()
                    == GroupStore.Result.CHANGED
                    ? changes.announce(new GroupChange(groupId, Kind.promoted, user, actor,
                            outcome.roster().orElseThrow().version(), now(), null))
                    : CompletableFuture.completedFuture(null));
        });
    }

    /** An idempotent repeat: nothing new to tell, but make sure the broker's roster version is current. */
    private CompletionStage<Void> unchanged(UUID groupId, Roster roster) {
        return changes.confirm(groupId, roster.version());
    }

    private static final Comparator<Member> SENIORITY =
            Comparator.comparing(Member::joinedAt).thenComparing(Member::userId);

    private record Found(Group group, Roster roster) {
    }

    private CompletionStage<Found> existing(UUID groupId) {
        CompletableFuture<Optional<Group>> group = store.find(groupId).toCompletableFuture();
        CompletableFuture<Optional<Roster>> roster = store.roster(groupId).toCompletableFuture();
        return group.thenCombine(roster, (g, r) -> {
            if (g.isEmpty() || r.isEmpty()) {
                throw noGroup(groupId);
            }
            return new Found(g.get(), r.get());
        });
    }

    private CompletionStage<Roster> roster(UUID groupId) {
        return store.roster(groupId).thenApply(found -> found.orElseThrow(() -> noGroup(groupId)));
    }

    private static Member requireMember(Roster roster, UUID me) {
        return roster.member(me).orElseThrow(() -> ProblemException.of(ProblemType.NOT_A_GROUP_MEMBER,
                "You are not a member of group " + roster.groupId()));
    }

    private static void requireAdmin(Roster roster, UUID me, String action) {
        Member caller = requireMember(roster, me);
        if (caller.role() != Role.admin) {
            throw ProblemException.of(ProblemType.NOT_A_GROUP_ADMIN, "Only admins of group " + roster.groupId()
                    + " may " + action);
        }
    }

    private CompletionStage<Void> existingUser(UUID user) {
        return users.find(user).thenApply(found -> {
            if (found.isEmpty()) {
                throw ProblemException.notFound("There is no user with id " + user);
            }
            return null;
        });
    }

    /** Every listed user exists; otherwise a 400 naming each unknown one by its index in members. */
    private CompletionStage<Void> requireUsers(List<UUID> ids) {
        List<CompletableFuture<Boolean>> lookups = ids.stream()
                .map(id -> users.find(id).thenApply(Optional::isPresent).toCompletableFuture()).toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<FieldError> unknown = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!lookups.get(i).join()) {
                    unknown.add(new FieldError("members", "there is no user with id " + ids.get(i)));
                }
            }
            if (!unknown.isEmpty()) {
                throw ProblemException.invalidFields(unknown);
            }
            return null;
        });
    }

    private static ProblemException noGroup(UUID groupId) {
        return ProblemException.notFound("There is no group with id " + groupId);
    }

    /** Millisecond precision: what Cassandra's timestamp keeps, so answers equal later reads. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
