package dev.parley.presence;

import dev.parley.protocol.presence.PresenceKeys;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Presence in Redis. Per user: the aggregate hash of the {@link PresenceKeys} contract
 * ({@code parley:presence:{userId}}: status, lastSeen, and {@value #VERSION} and {@value #SHOWN}), and a hash of the user's
 * online devices ({@code parley:presence:{userId}:devices}: deviceId → "expiresAtMillis connectionId").
 * Globally: a sorted set of device leases by expiry ({@value #LEASES}), which the sweep reads.
 *
 * <p>Every change is one Lua script, so the device update and the aggregate it implies are one atomic step:
 * several bridges (a shared subscription spreads a user's devices over them) never write an aggregate from a
 * stale read. A device is online only until its lease expires; a report of "online" renews it. So a device
 * whose offline was never seen (a bridge down past its session, a lost write) is offline after the lease,
 * never online forever.
 */
final class PresenceStore {

    /** Aggregate field beside the contract's: raised by every change of status. */
    static final String VERSION = "version";
    /** Aggregate field beside the contract's: a digest of the last payload published to friends. */
    static final String SHOWN = "shown";
    static final String LEASES = "parley:presence:device-leases";
    /**
     * User id → the aggregate version friends have not been shown yet. Set by the script that changes an
     * aggregate, removed once the retained publish of that version (or a newer one) is done: a bridge that
     * dies with publishes still waiting for their one-per-second slot leaves them here, and every bridge
     * publishes these users when it starts.
     */
    static final String UNPUBLISHED = "parley:presence:unpublished";

    /** KEYS: the unpublished hash. ARGV: userId, the version published. Forgets the user if nothing newer waits. */
    private static final String PUBLISHED = """
            local waiting = redis.call('HGET', KEYS[1], ARGV[1])
            if waiting and tonumber(waiting) <= tonumber(ARGV[2]) then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0
            """;

    /**
     * KEYS: devices hash, aggregate hash, leases zset, unpublished hash. ARGV: userId, deviceId, action (online | offline |
     * sweep), nowMillis, expiresAtMillis, connection ('' for none), nowIso. Returns 0 when the aggregate did
     * not change, 1 when it went online, 2 when it went offline.
     */
    private static final String APPLY = """
            local devices, aggregate, leases, unpublished = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
            local user, device, action = ARGV[1], ARGV[2], ARGV[3]
            local now, expiresAt, connection, nowIso = tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
            local function expiry(value)
              local space = string.find(value, ' ', 1, true)
              return tonumber(string.sub(value, 1, space - 1)), string.sub(value, space + 1)
            end
            if action == 'online' then
              redis.call('HSET', devices, device, expiresAt .. ' ' .. connection)
              redis.call('ZADD', leases, expiresAt, user .. '/' .. device)
            elseif action == 'offline' then
              local current = redis.call('HGET', devices, device)
              if current then
                local _, currentConnection = expiry(current)
                -- The will of a connection the device has already replaced says nothing about the new one.
                if connection == '' or currentConnection == '' or connection == currentConnection then
                  redis.call('HDEL', devices, device)
                  redis.call('ZREM', leases, user .. '/' .. device)
                end
              end
            end
            local online = false
            local all = redis.call('HGETALL', devices)
            for i = 1, #all, 2 do
              local until_ = expiry(all[i + 1])
              if until_ > now then
                online = true
              else
                redis.call('HDEL', devices, all[i])
                redis.call('ZREM', leases, user .. '/' .. all[i])
              end
            end
            if action == 'sweep' then
              local lease = redis.call('ZSCORE', leases, user .. '/' .. device)
              if lease and tonumber(lease) <= now then
                redis.call('ZREM', leases, user .. '/' .. device)
              end
            end
            local status = online and 'online' or 'offline'
            local was = redis.call('HGET', aggregate, 'status')
            if was == status then
              return 0
            end
            redis.call('HSET', aggregate, 'status', status)
            if not online then
              redis.call('HSET', aggregate, 'lastSeen', nowIso)
            end
            local version = redis.call('HINCRBY', aggregate, 'version', 1)
            redis.call('HSET', unpublished, user, version)
            return online and 1 or 2
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final Duration deviceLease;

    /** @param deviceLease how long an "online" report keeps a device online without another one */
    PresenceStore(StatefulRedisConnection<String, String> redis, Duration deviceLease) {
        this.redis = redis;
        this.deviceLease = deviceLease;
    }

    static String devicesKey(UUID user) {
        return PresenceKeys.key(user) + ":devices";
    }

    /** What a change did to the user's aggregate. */
    enum Change {
        NONE, ONLINE, OFFLINE
    }

    /** Applies a device's report. */
    CompletionStage<Change> apply(DeviceReport report) {
        return run(report.user(), report.deviceId(), report.online() ? "online" : "offline", report.at(),
                report.connection());
    }

    /** Ends a device's lease if it has expired (with an empty device id: recomputes the user's aggregate). */
    CompletionStage<Change> expire(UUID user, String deviceId, Instant now) {
        return run(user, deviceId, "sweep", now, null);
    }

    /** Forgets the user's devices (their reports are being re-announced); the aggregate stays until recomputed. */
    CompletionStage<Void> forgetDevices(UUID user) {
        return redis.async().del(devicesKey(user)).thenApply(n -> null);
    }

    /**
     * Sets the {@link PresenceKeys#EPOCH} marker if it is missing: true when it was, i.e. Redis has lost the
     * presence state (emptied, or new) since the marker was last set.
     */
    CompletionStage<Boolean> claimEpoch(String holder) {
        return redis.async().set(PresenceKeys.EPOCH, holder, io.lettuce.core.SetArgs.Builder.nx())
                .thenApply("OK"::equals);
    }

    /** Asks every broker node to re-announce its connected devices; the number of nodes that heard it. */
    CompletionStage<Long> requestReannounce(String reason) {
        return redis.async().publish(PresenceKeys.REANNOUNCE, reason);
    }

    /** Devices whose lease ended by {@code now}, at most {@code limit}, as user id and device id. */
    CompletionStage<List<Lease>> expiredLeases(Instant now, int limit) {
        return redis.async().zrangebyscore(LEASES, Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()),
                        io.lettuce.core.Limit.create(0, limit))
                .thenApply(members -> members.stream().map(Lease::parse).flatMap(Optional::stream).toList());
    }

    CompletionStage<Void> markShown(UUID user, String payload) {
        return redis.async().hset(PresenceKeys.key(user), SHOWN, payload).thenApply(n -> null);
    }

    /** Friends have been shown {@code version} of the user's aggregate (or a newer one). */
    CompletionStage<Void> published(UUID user, long version) {
        return redis.async().<Long>eval(PUBLISHED, ScriptOutputType.INTEGER, new String[] {UNPUBLISHED}, user.toString(),
                Long.toString(version)).thenApply(n -> null);
    }

    /** Users with a change friends may not have been shown (see {@link #UNPUBLISHED}). */
    CompletionStage<List<UUID>> unpublished() {
        return redis.async().hkeys(UNPUBLISHED).thenApply(users -> users.stream()
                .map(dev.parley.protocol.Ids::parseUuid).flatMap(Optional::stream).toList());
    }

    CompletionStage<Aggregate> read(UUID user) {
        return redis.async().hgetall(PresenceKeys.key(user)).thenApply(hash -> Aggregate.fromHash(user, hash));
    }

    private CompletionStage<Change> run(UUID user, String deviceId, String action, Instant now, String connection) {
        String[] keys = {devicesKey(user), PresenceKeys.key(user), LEASES, UNPUBLISHED};
        return redis.async().<Long>eval(APPLY, ScriptOutputType.INTEGER, keys, user.toString(), deviceId, action,
                        Long.toString(now.toEpochMilli()), Long.toString(now.plus(deviceLease).toEpochMilli()),
                        connection == null ? "" : connection, now.toString())
                .thenApply(changed -> changed == null || changed == 0L ? Change.NONE
                        : changed == 1L ? Change.ONLINE : Change.OFFLINE);
    }

    /** A device's lease in {@value #LEASES}. */
    record Lease(UUID user, String deviceId) {
        static Optional<Lease> parse(String member) {
            int slash = member.indexOf('/');
            if (slash <= 0) {
                return Optional.empty();
            }
            return dev.parley.protocol.Ids.parseUuid(member.substring(0, slash))
                    .map(user -> new Lease(user, member.substring(slash + 1)));
        }
    }
}
