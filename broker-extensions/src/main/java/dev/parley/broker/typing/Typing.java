package dev.parley.broker.typing;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.broker.DaemonThreads;
import dev.parley.broker.groups.Rosters;
import dev.parley.broker.messages.UserDirectory;
import dev.parley.broker.topics.PublishDispatch;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Topic;
import dev.parley.protocol.typing.TypingThrottle;
import dev.parley.store.groups.GroupStore;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Typing indicators, assembled (README "Typing indicators"): 1:1 on {@code users/{to}/typing} to every device
 * of {@code to} (anyone may be addressed, as for messages; the sender's other devices are not told), groups on
 * {@code groups/{id}/typing} to every member but the sender, members only. Ephemeral and rate-limited.
 */
public final class Typing implements AutoCloseable {

    /** At most one indicator per (device, conversation) per second is forwarded (see {@link TypingThrottle}). */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** More remembered (device, conversation) pairs than this are swept at once. */
    static final int MAX_TRACKED = 100_000;

    private final TypingRelay relay;
    private final ScheduledExecutorService sweeper;
    private final TypingHandler<Topic.UserTyping> direct;
    private final TypingHandler<Topic.GroupTyping> groups;

    /**
     * @param users   whether a 1:1 recipient exists (cached, as for messages)
     * @param timeout how long the recipient or membership check may take before the device gets 0x80
     */
    public Typing(UserDirectory users, Rosters rosters, String nodeId, Duration timeout,
                  StatefulRedisConnection<String, String> redis,
                  StatefulRedisPubSubConnection<String, String> redisSubscriptions,
                  PublishService publishService, Supplier<PublishBuilder> publishBuilder, Clock clock) {
        this.relay = new TypingRelay(nodeId, publishService, publishBuilder, redis, redisSubscriptions, clock);
        TypingThrottle limiter = new TypingThrottle(INTERVAL, MAX_TRACKED);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-typing-sweep"));
        sweeper.scheduleWithFixedDelay(() -> limiter.forgetBefore(clock.instant().minus(INTERVAL)), 10, 10,
                TimeUnit.SECONDS);
        this.direct = new TypingHandler<>(directAudience(users), limiter, relay, timeout, clock);
        this.groups = new TypingHandler<>(groupAudience(rosters), limiter, relay, timeout, clock);
    }

    public void register(PublishDispatch.Builder topics) {
        topics.on(Topic.UserTyping.class, direct).on(Topic.GroupTyping.class, groups);
    }

    private static TypingHandler.Audience<Topic.UserTyping> directAudience(UserDirectory users) {
        return new TypingHandler.Audience<>() {
            @Override
            public Optional<String> refuseAtOnce(ClientIdentity sender, Topic.UserTyping to) {
                return to.user().equals(sender.userId())
                        ? Optional.of("you cannot tell yourself that you are typing; publish to users/{recipient}/typing")
                        : Optional.empty();
            }

            @Override
            public ConversationId conversation(ClientIdentity sender, Topic.UserTyping to) {
                return ConversationId.direct(sender.userId(), to.user());
            }

            @Override
            public UUID groupId(Topic.UserTyping to) {
                return null;
            }

            @Override
            public CompletionStage<TypingHandler.Recipients> recipients(ClientIdentity sender, Topic.UserTyping to) {
                return users.exists(to.user()).thenApply(exists -> exists
                        ? new TypingHandler.Recipients.To(List.of(to.user()))
                        : new TypingHandler.Recipients.Refused(AckReasonCode.TOPIC_NAME_INVALID,
                                "there is no user " + to.user() + ": check the recipient's id"));
            }
        };
    }

    private static TypingHandler.Audience<Topic.GroupTyping> groupAudience(Rosters rosters) {
        return new TypingHandler.Audience<>() {
            @Override
            public Optional<String> refuseAtOnce(ClientIdentity sender, Topic.GroupTyping group) {
                return Optional.empty();
            }

            @Override
            public ConversationId conversation(ClientIdentity sender, Topic.GroupTyping group) {
                return ConversationId.group(group.group());
            }

            @Override
            public UUID groupId(Topic.GroupTyping group) {
                return group.group();
            }

            @Override
            public CompletionStage<TypingHandler.Recipients> recipients(ClientIdentity sender, Topic.GroupTyping group) {
                // The roster cache checks the group's roster version in Redis first, so a leave that returned
                // stops the leaver's indicators at once, as it stops their messages.
                return rosters.current(group.group()).thenApply(found -> {
                    if (found.isEmpty()) {
                        return new TypingHandler.Recipients.Refused(AckReasonCode.TOPIC_NAME_INVALID,
                                "there is no group " + group.group() + ": check the group's id");
                    }
                    GroupStore.Roster roster = found.get();
                    if (!roster.isMember(sender.userId())) {
                        return new TypingHandler.Recipients.Refused(AckReasonCode.NOT_AUTHORIZED, "you are not a"
                                + " member of group " + group.group() + ": only members may tell it they are typing");
                    }
                    return new TypingHandler.Recipients.To(roster.members().stream().map(GroupStore.Member::userId)
                            .filter(member -> !member.equals(sender.userId())).toList());
                });
            }
        };
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        relay.close();
    }
}
