package dev.parley.broker.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.groups.GroupStore.Group;
import dev.parley.store.groups.GroupStore.Member;
import dev.parley.store.groups.GroupStore.Outcome;
import dev.parley.store.groups.GroupStore.Role;
import dev.parley.store.groups.GroupStore.Roster;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Changes group rosters the way persistence-service does (store the change, raise the roster version
 * in Redis, announce the change on the keyspace's stream), so broker tests can exercise membership
 * without the REST service. The contract is {@link GroupChannels}.
 */
public final class GroupAdmin implements AutoCloseable {

    private final String keyspace;
    private final GroupStore groups;
    private final MessageStore messages;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> redis;

    public GroupAdmin(CqlSession session, String keyspace) {
        this.keyspace = keyspace;
        this.groups = new GroupStore(session, keyspace, new ConversationIndex(session, keyspace));
        this.messages = new MessageStore(session, keyspace);
        this.client = RedisClient.create("redis://" + TestDependencies.redis());
        this.redis = client.connect();
    }

    /** A group whose first member is its admin. */
    public UUID create(String name, List<UUID> members) {
        UUID groupId = UUID.randomUUID();
        Instant now = now();
        List<Member> roster = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            roster.add(new Member(members.get(i), i == 0 ? Role.admin : Role.member, now, 0L, members.get(0)));
        }
        Roster created = groups.create(new Group(groupId, name, null, members.get(0), now), roster)
                .toCompletableFuture().join();
        announce(new GroupChange(groupId, GroupChange.Kind.created, null, members.get(0), created.version(), now, name));
        return groupId;
    }

    /** Adds a member as persistence-service's join does; the outcome says whether it happened. */
    public Outcome join(UUID groupId, UUID user) {
        long lastSeq = messages.lastSeq(ConversationId.group(groupId).value()).toCompletableFuture().join();
        Outcome outcome = groups.join(groupId, new Member(user, Role.member, now(), lastSeq, user))
                .toCompletableFuture().join();
        if (outcome.result() == GroupStore.Result.CHANGED) {
            announce(new GroupChange(groupId, GroupChange.Kind.joined, user, user,
                    outcome.roster().orElseThrow().version(), now(), null));
        }
        return outcome;
    }

    public Outcome leave(UUID groupId, UUID user) {
        Outcome outcome = groups.leave(groupId, user).toCompletableFuture().join();
        if (outcome.result() == GroupStore.Result.CHANGED) {
            announce(new GroupChange(groupId, GroupChange.Kind.left, user, user,
                    outcome.roster().orElseThrow().version(), now(), null));
        }
        return outcome;
    }

    public Roster roster(UUID groupId) {
        return groups.roster(groupId).toCompletableFuture().join().orElseThrow();
    }

    /** Raise first (the broker enforces the new roster from then on), then tell members. */
    private void announce(GroupChange change) {
        redis.sync().eval(GroupChannels.RAISE_ROSTER_VERSION, ScriptOutputType.INTEGER,
                new String[] {GroupChannels.rosterVersionKey(change.groupId())}, Long.toString(change.rosterVersion()));
        redis.sync().xadd(GroupChannels.changesStream(keyspace),
                Map.of(GroupChannels.CHANGE_FIELD, new String(Payloads.toJson(change), StandardCharsets.UTF_8)));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        redis.close();
        client.shutdown();
    }
}
