package dev.parley.store.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.StoreTestSupport;
import dev.parley.store.groups.GroupStore.Group;
import dev.parley.store.groups.GroupStore.Member;
import dev.parley.store.groups.GroupStore.Outcome;
import dev.parley.store.groups.GroupStore.Result;
import dev.parley.store.groups.GroupStore.Role;
import dev.parley.store.groups.GroupStore.Roster;
import dev.parley.store.messages.ConversationIndex;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class GroupStoreTest {

    private static CqlSession session;
    private static String keyspace;
    private static GroupStore groups;
    private static ConversationIndex conversations;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        keyspace = StoreTestSupport.migratedKeyspace(session, "groups");
        conversations = new ConversationIndex(session, keyspace);
        groups = new GroupStore(session, keyspace, conversations);
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    private Member member(UUID user, Role role) {
        return new Member(user, role, now, 0L, null);
    }

    private Group newGroup(UUID creator) {
        return new Group(UUID.randomUUID(), "Climbing", "Saturdays", creator, now);
    }

    @Test
    void createStoresTheGroupItsRosterAtVersionOneAndListsItForEveryMember() {
        UUID creator = UUID.randomUUID();
        UUID friend = UUID.randomUUID();
        Group group = newGroup(creator);

        groups.create(group, List.of(member(creator, Role.admin), member(friend, Role.member)))
                .toCompletableFuture().join();

        assertThat(groups.find(group.groupId()).toCompletableFuture().join()).contains(group);
        Roster roster = groups.roster(group.groupId()).toCompletableFuture().join().orElseThrow();
        assertThat(roster.version()).isEqualTo(1);
        assertThat(roster.members()).extracting(Member::userId).containsExactlyInAnyOrder(creator, friend);
        assertThat(roster.member(creator).orElseThrow().role()).isEqualTo(Role.admin);
        assertThat(conversations.conversationsOf(friend).toCompletableFuture().join())
                .containsExactly(group.conversationId());
    }

    @Test
    void joinLeaveAndRoleChangesEachBumpTheVersionAndRepeatingThemChangesNothing() {
        UUID creator = UUID.randomUUID();
        UUID joiner = UUID.randomUUID();
        Group group = newGroup(creator);
        groups.create(group, List.of(member(creator, Role.admin))).toCompletableFuture().join();

        Outcome joined = groups.join(group.groupId(), member(joiner, Role.member)).toCompletableFuture().join();
        assertThat(joined.result()).isEqualTo(Result.CHANGED);
        assertThat(joined.roster().orElseThrow().version()).isEqualTo(2);
        assertThat(groups.join(group.groupId(), member(joiner, Role.member)).toCompletableFuture().join().result())
                .isEqualTo(Result.UNCHANGED);
        assertThat(conversations.conversationsOf(joiner).toCompletableFuture().join())
                .containsExactly(group.conversationId());

        assertThat(groups.setRole(group.groupId(), joiner, Role.admin).toCompletableFuture().join().result())
                .isEqualTo(Result.CHANGED);
        assertThat(groups.setRole(group.groupId(), joiner, Role.admin).toCompletableFuture().join().result())
                .isEqualTo(Result.UNCHANGED);

        Outcome left = groups.leave(group.groupId(), joiner).toCompletableFuture().join();
        assertThat(left.result()).isEqualTo(Result.CHANGED);
        assertThat(left.roster().orElseThrow().version()).isEqualTo(4);
        assertThat(groups.leave(group.groupId(), joiner).toCompletableFuture().join().result())
                .isEqualTo(Result.UNCHANGED);
        assertThat(conversations.conversationsOf(joiner).toCompletableFuture().join()).isEmpty();

        Roster stored = groups.roster(group.groupId()).toCompletableFuture().join().orElseThrow();
        assertThat(stored.version()).isEqualTo(4);
        assertThat(stored.members()).extracting(Member::userId).containsExactly(creator);
    }

    @Test
    void changesToAGroupThatDoesNotExistSayNoGroup() {
        UUID nobody = UUID.randomUUID();
        UUID missing = UUID.randomUUID();
        assertThat(groups.join(missing, member(nobody, Role.member)).toCompletableFuture().join().result())
                .isEqualTo(Result.NO_GROUP);
        assertThat(groups.leave(missing, nobody).toCompletableFuture().join().result()).isEqualTo(Result.NO_GROUP);
        assertThat(groups.roster(missing).toCompletableFuture().join()).isEmpty();
        assertThat(groups.find(missing).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void fiftyConcurrentJoinsAtOneHundredNinetyMembersLetExactlyTenIn() {
        UUID creator = UUID.randomUUID();
        Group group = newGroup(creator);
        List<Member> first = IntStream.range(0, 190)
                .mapToObj(i -> member(i == 0 ? creator : UUID.randomUUID(), i == 0 ? Role.admin : Role.member))
                .toList();
        groups.create(group, first).toCompletableFuture().join();

        List<CompletableFuture<Outcome>> joins = IntStream.range(0, 50)
                .mapToObj(i -> groups.join(group.groupId(), member(UUID.randomUUID(), Role.member)).toCompletableFuture())
                .toList();
        Map<Result, Long> results = joins.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(Outcome::result, Collectors.counting()));

        assertThat(results).containsExactlyInAnyOrderEntriesOf(Map.of(Result.CHANGED, 10L, Result.FULL, 40L));
        Roster stored = groups.roster(group.groupId()).toCompletableFuture().join().orElseThrow();
        assertThat(stored.members()).hasSize(GroupStore.MAX_MEMBERS);
        assertThat(stored.version()).isEqualTo(11);
        assertThat(session.execute("SELECT member_count FROM " + keyspace + ".group_members WHERE group_id = ? LIMIT 1",
                group.groupId()).one().getInt("member_count")).isEqualTo(GroupStore.MAX_MEMBERS);
        assertThat(joins.stream().map(CompletableFuture::join).filter(o -> o.result() == Result.CHANGED)
                .map(o -> o.roster().orElseThrow().version()).collect(Collectors.toSet()))
                .as("every admitted join got its own roster version")
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(2, 11).mapToObj(v -> (long) v).toList());
    }
}
