package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import dev.parley.protocol.Topic;
import dev.parley.protocol.presence.Unfriendings;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps "only friends see presence" true after a friendship ends: the friend check runs at SUBSCRIBE
 * ({@link TopicAuthorizer}), and a subscription made while the two were friends would otherwise live on in
 * the device's (persistent) session. Every node listens on {@link Unfriendings#CHANNEL}, where
 * persistence-service announces each ended friendship, and removes from the sessions it holds, connected
 * or not, each of the two users' subscriptions to the other's {@code presence/{id}}.
 *
 * <p>A SUBSCRIBE whose friend check read the friendship just before it ended is granted after the
 * announcement may have been handled, so each ended friendship is handled again after {@code rechecks}
 * unless the two are friends again by then.
 */
public final class UnfriendedPresence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UnfriendedPresence.class);

    private final SubscriptionStore subscriptionStore;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final FriendCheck friends;
    private final List<Duration> rechecks;
    private final ScheduledExecutorService timer;
    private final RedisPubSubAdapter<String, String> listener;

    /**
     * @param friends  whether the two became friends again before a recheck
     * @param rechecks when, after an ended friendship is heard, the subscriptions are looked for again
     * @param timer    runs the rechecks; its owner shuts it down
     */
    public UnfriendedPresence(SubscriptionStore subscriptionStore,
                              StatefulRedisPubSubConnection<String, String> subscriptions, FriendCheck friends,
                              List<Duration> rechecks, ScheduledExecutorService timer) {
        this.subscriptionStore = subscriptionStore;
        this.subscriptions = subscriptions;
        this.friends = friends;
        this.rechecks = List.copyOf(rechecks);
        this.timer = timer;
        this.listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (Unfriendings.CHANNEL.equals(channel)) {
                    onUnfriended(message);
                }
            }
        };
        subscriptions.addListener(listener);
        subscriptions.sync().subscribe(Unfriendings.CHANNEL);
    }

    private void onUnfriended(String message) {
        Optional<Unfriendings.Pair> pair = Unfriendings.parse(message);
        if (pair.isEmpty()) {
            LOG.warn("Ignoring an ended friendship on {} that names no two users: '{}'", Unfriendings.CHANNEL, message);
            return;
        }
        dropBothWays(pair.get());
        for (Duration after : rechecks) {
            timer.schedule(() -> friends.areFriends(pair.get().a(), pair.get().b()).whenComplete((again, failure) -> {
                if (failure != null) {
                    LOG.warn("Could not check whether users {} and {} are friends again; dropping their presence"
                            + " subscriptions anyway: {}", pair.get().a(), pair.get().b(), failure.toString());
                }
                if (!Boolean.TRUE.equals(again)) {
                    dropBothWays(pair.get());
                }
            }), after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void dropBothWays(Unfriendings.Pair pair) {
        drop(pair.a(), pair.b());
        drop(pair.b(), pair.a());
    }

    /** Removes every subscription of {@code watcher}'s devices held here to {@code watched}'s presence. */
    private void drop(UUID watcher, UUID watched) {
        String filter = new Topic.UserPresence(watched).name();
        String devicesOfWatcher = watcher + "/";
        List<String> clientIds = new CopyOnWriteArrayList<>();
        subscriptionStore.iterateAllSubscribersWithTopicFilter(filter, (context, subscriber) -> {
                    if (subscriber.getClientId().startsWith(devicesOfWatcher)) {
                        clientIds.add(subscriber.getClientId());
                    }
                })
                .thenCompose(done -> CompletableFuture.allOf(clientIds.stream()
                        .map(clientId -> subscriptionStore.removeSubscription(clientId, filter))
                        .toArray(CompletableFuture[]::new)))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        LOG.warn("Users {} and {} are no longer friends, but {}'s subscriptions to {} here could not"
                                + " be removed: {}", watcher, watched, watcher, filter, failure.toString());
                    } else if (!clientIds.isEmpty()) {
                        LOG.info("Users {} and {} are no longer friends: removed the subscription to {} of {}",
                                watcher, watched, filter, clientIds);
                    }
                });
    }

    @Override
    public void close() {
        subscriptions.removeListener(listener);
    }
}
