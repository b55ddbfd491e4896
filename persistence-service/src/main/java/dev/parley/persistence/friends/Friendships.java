package dev.parley.persistence.friends;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.persistence.problems.RequestValues;
import dev.parley.store.friends.FriendStore;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Friend requests and friendships of the calling user. The caller's id always comes from the token
 * (the resource passes it in); ids from the request are parsed here so a bad one is a 400 naming the field.
 */
@ApplicationScoped
public class Friendships {

    private final FriendStore store;
    private final UserStore users;
    private final UnfriendBroadcast unfriendings;
    private final Clock clock = Clock.systemUTC();

    Friendships(FriendStore store, UserStore users, UnfriendBroadcast unfriendings) {
        this.store = store;
        this.users = users;
        this.unfriendings = unfriendings;
    }

    /**
     * Asks {@code body.to} to be friends. If they asked {@code me} already, the two become friends at
     * once (a mutual request); asking again while pending changes nothing.
     * The result says whether a new request was created (then the answer is 201).
     */
    public CompletionStage<Outcome> request(UUID me, FriendRequestBody body) {
        if (body == null || body.to() == null || body.to().isBlank()) {
            throw ProblemException.invalidField("to", "is required: the id of the user to ask");
        }
        UUID to = RequestValues.uuid("to", body.to());
        if (to.equals(me)) {
            throw ProblemException.invalidField("to", "must not be yourself");
        }
        return existing(to)
                .thenCompose(user -> store.areFriends(me, to))
                .thenCompose(friends -> {
                    if (friends) {
                        throw ProblemException.of(ProblemType.ALREADY_FRIENDS, "You and " + to + " are friends already");
                    }
                    return store.findRequest(me, to);
                })
                .thenCompose(theirs -> {
                    if (theirs.isPresent()) {
                        return store.befriend(me, to, clock.instant())
                                .thenApply(v -> new Outcome(new FriendshipStatus(to, FriendshipStatus.FRIENDS), false));
                    }
                    // Re-read their side after writing ours: of two crossing requests, at least one
                    // sees the other and turns both into a friendship.
                    return store.request(to, me, clock.instant()).thenCompose(created -> store.findRequest(me, to)
                            .thenCompose(crossed -> crossed.isPresent()
                                    ? store.befriend(me, to, clock.instant()).thenApply(
                                            v -> new Outcome(new FriendshipStatus(to, FriendshipStatus.FRIENDS), false))
                                    : CompletableFuture.completedFuture(
                                            new Outcome(new FriendshipStatus(to, FriendshipStatus.PENDING), created))));
                });
    }

    /** The result of a request: the status and whether a new request was recorded. */
    public record Outcome(FriendshipStatus status, boolean created) {
    }

    public CompletionStage<List<FriendRequestView>> incoming(UUID me) {
        return store.incoming(me).thenCompose(requests -> profiles(
                requests, FriendStore.Request::fromUser, (user, r) -> FriendRequestView.of(user, r.createdAt())))
                .thenApply(list -> {
                    list.sort(Comparator.comparing(FriendRequestView::createdAt));
                    return list;
                });
    }

    /** Accepts {@code from}'s request; idempotent when you are friends already. */
    public CompletionStage<FriendshipStatus> accept(UUID me, String fromText) {
        UUID from = RequestValues.uuid("from", fromText);
        FriendshipStatus friends = new FriendshipStatus(from, FriendshipStatus.FRIENDS);
        return store.areFriends(me, from).thenCompose(already -> {
            if (already) {
                return CompletableFuture.completedFuture(friends);
            }
            return store.findRequest(me, from).thenCompose(request -> {
                if (request.isEmpty()) {
                    throw ProblemException.notFound("There is no friend request from " + from);
                }
                return store.befriend(me, from, clock.instant()).thenApply(v -> friends);
            });
        });
    }

    /** Declines (deletes) {@code from}'s request; idempotent. */
    public CompletionStage<Void> decline(UUID me, String fromText) {
        UUID from = RequestValues.uuid("from", fromText);
        return store.deleteRequest(me, from);
    }

    public CompletionStage<List<FriendView>> friends(UUID me) {
        return store.friends(me).thenCompose(friends -> profiles(
                friends, FriendStore.Friend::friendId, (user, f) -> FriendView.of(user, f.since())))
                .thenApply(list -> {
                    list.sort(Comparator.comparing(FriendView::handle));
                    return list;
                });
    }

    /**
     * Ends the friendship both ways, then has the broker nodes drop the presence subscriptions the two hold on
     * each other; idempotent (a retry after a 503 announces it again).
     */
    public CompletionStage<Void> remove(UUID me, String idText) {
        UUID other = RequestValues.uuid("id", idText);
        return store.unfriend(me, other).thenCompose(v -> unfriendings.unfriended(me, other));
    }

    private CompletionStage<UserRecord> existing(UUID id) {
        return users.find(id).thenApply(found -> found.orElseThrow(
                () -> ProblemException.notFound("There is no user with id " + id)));
    }

    /** The profiles of the rows' users, in parallel; users that no longer exist are left out. */
    private <R, V> CompletionStage<List<V>> profiles(List<R> rows, java.util.function.Function<R, UUID> id,
                                                      BiFunction<UserRecord, R, V> view) {
        List<CompletableFuture<Optional<V>>> lookups = new ArrayList<>();
        for (R row : rows) {
            lookups.add(users.find(id.apply(row)).thenApply(user -> user.map(u -> view.apply(u, row)))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<V> out = new ArrayList<>();
            for (CompletableFuture<Optional<V>> lookup : lookups) {
                lookup.join().ifPresent(out::add);
            }
            return out;
        });
    }
}
