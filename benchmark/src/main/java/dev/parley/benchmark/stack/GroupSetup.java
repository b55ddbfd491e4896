package dev.parley.benchmark.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.Endpoint;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.groups.GroupStore.Group;
import dev.parley.store.groups.GroupStore.Member;
import dev.parley.store.groups.GroupStore.Role;
import dev.parley.store.groups.GroupStore.Roster;
import dev.parley.store.messages.ConversationIndex;
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
import java.util.concurrent.TimeUnit;

/**
 * Creates groups the way persistence-service does, so the benchmark needs no REST service for them
 * (the contract is {@link GroupChannels}): store the group and its roster, raise the roster version in
 * Redis (the broker enforces that roster from then on), then announce the {@code created} change on the
 * keyspace's stream (the broker stores the group's creation message and tells the members).
 */
final class GroupSetup implements AutoCloseable {

    private final String keyspace;
    private final GroupStore groups;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> redis;

    GroupSetup(CqlSession session, String keyspace, Endpoint redisEndpoint) {
        this.keyspace = keyspace;
        this.groups = new GroupStore(session, keyspace, new ConversationIndex(session, keyspace));
        this.client = RedisClient.create("redis://" + redisEndpoint);
        this.redis = client.connect();
    }

    /** A group whose first member is its admin and creator; returns its id. */
    UUID create(String name, List<UUID> members) {
        UUID groupId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID creator = members.get(0);
        List<Member> roster = new ArrayList<>();
        for (UUID member : members) {
            roster.add(new Member(member, member.equals(creator) ? Role.admin : Role.member, now, 0L, creator));
        }
        Roster created = groups.create(new Group(groupId, name, null, creator, now), roster)
                .toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
        redis.sync().eval(GroupChannels.RAISE_ROSTER_VERSION, ScriptOutputType.INTEGER,
                new String[] {GroupChannels.rosterVersionKey(groupId)}, Long.toString(created.version()));
        GroupChange change = new GroupChange(groupId, GroupChange.Kind.created, null, creator, created.version(),
                now, name);
        redis.sync().xadd(GroupChannels.changesStream(keyspace),
                Map.of(GroupChannels.CHANGE_FIELD, new String(Payloads.toJson(change), StandardCharsets.UTF_8)));
        return groupId;
    }

    @Override
    public void close() {
        redis.close();
        client.shutdown();
    }
}
