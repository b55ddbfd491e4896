package dev.parley.store.friends;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.parley.store.Pages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Reads and writes {@code friends} and {@code friend_requests}; every call is asynchronous.
 * Friendship is symmetric: {@link #befriend} and {@link #unfriend} write both directions in one
 * logged batch, so a reader never sees one side without the other once the batch is applied.
 */
public final class FriendStore {

    /** A friend of a user and when they became friends. */
    public record Friend(UUID friendId, Instant since) {
    }

    /** A pending request to a user. */
    public record Request(UUID fromUser, Instant createdAt) {
    }

    private final CqlSession session;
    private final PreparedStatement insertFriend;
    private final PreparedStatement deleteFriend;
    private final PreparedStatement selectFriend;
    private final PreparedStatement selectFriends;
    private final PreparedStatement insertRequest;
    private final PreparedStatement deleteRequest;
    private final PreparedStatement selectRequest;
    private final PreparedStatement selectRequests;

    public FriendStore(CqlSession session, String keyspace) {
        this.session = session;
        this.insertFriend = session.prepare("INSERT INTO " + keyspace + ".friends (user_id, friend_id, since) VALUES (?, ?, ?)");
        this.deleteFriend = session.prepare("DELETE FROM " + keyspace + ".friends WHERE user_id = ? AND friend_id = ?");
        this.selectFriend = session.prepare("SELECT since FROM " + keyspace + ".friends WHERE user_id = ? AND friend_id = ?");
        this.selectFriends = session.prepare("SELECT friend_id, since FROM " + keyspace + ".friends WHERE user_id = ?");
        this.insertRequest = session.prepare("INSERT INTO " + keyspace
                + ".friend_requests (to_user, from_user, created_at) VALUES (?, ?, ?) IF NOT EXISTS");
        this.deleteRequest = session.prepare("DELETE FROM " + keyspace + ".friend_requests WHERE to_user = ? AND from_user = ?");
        this.selectRequest = session.prepare("SELECT created_at FROM " + keyspace
                + ".friend_requests WHERE to_user = ? AND from_user = ?");
        this.selectRequests = session.prepare("SELECT from_user, created_at FROM " + keyspace
                + ".friend_requests WHERE to_user = ?");
    }

    public CompletionStage<Boolean> areFriends(UUID user, UUID other) {
        return session.executeAsync(selectFriend.bind(user, other)).thenApply(rs -> rs.one() != null);
    }

    public CompletionStage<List<Friend>> friends(UUID user) {
        return Pages.all(session.executeAsync(selectFriends.bind(user)),
                row -> new Friend(row.getUuid("friend_id"), row.getInstant("since")));
    }

    /** Makes {@code a} and {@code b} friends both ways and removes any requests between them. */
    public CompletionStage<Void> befriend(UUID a, UUID b, Instant since) {
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
                insertFriend.bind(a, b, since), insertFriend.bind(b, a, since),
                deleteRequest.bind(a, b), deleteRequest.bind(b, a));
        return session.executeAsync(batch).thenApply(rs -> null);
    }

    /** Removes the friendship in both directions; a no-op when they were not friends. */
    public CompletionStage<Void> unfriend(UUID a, UUID b) {
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
                deleteFriend.bind(a, b), deleteFriend.bind(b, a));
        return session.executeAsync(batch).thenApply(rs -> null);
    }

    /** Records a request; false when one from {@code from} to {@code to} was pending already. */
    public CompletionStage<Boolean> request(UUID to, UUID from, Instant createdAt) {
        return session.executeAsync(insertRequest.bind(to, from, createdAt)).thenApply(AsyncResultSet::wasApplied);
    }

    public CompletionStage<Optional<Instant>> findRequest(UUID to, UUID from) {
        return session.executeAsync(selectRequest.bind(to, from))
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getInstant("created_at")));
    }

    public CompletionStage<List<Request>> incoming(UUID to) {
        return Pages.all(session.executeAsync(selectRequests.bind(to)),
                row -> new Request(row.getUuid("from_user"), row.getInstant("created_at")));
    }

    public CompletionStage<Void> deleteRequest(UUID to, UUID from) {
        return session.executeAsync(deleteRequest.bind(to, from)).thenApply(rs -> null);
    }
}
