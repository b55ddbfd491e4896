package dev.parley.store.users;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Reads and writes the {@code users} table; every call is asynchronous and never blocks its caller. */
public final class UserStore {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement byId;

    public UserStore(CqlSession session, String keyspace) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO " + keyspace + ".users (user_id, handle, display_name, phone, "
                + "email, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        this.byId = session.prepare("SELECT user_id, handle, display_name, phone, email, password_hash, created_at FROM "
                + keyspace + ".users WHERE user_id = ?");
    }

    public CompletionStage<Void> insert(UserRecord user) {
        return session.executeAsync(insert.bind(user.userId(), user.handle(), user.displayName(), user.phone(),
                        user.email(), user.passwordHash(), user.createdAt()))
                .thenApply(rs -> null);
    }

    public CompletionStage<Optional<UserRecord>> find(UUID userId) {
        return session.executeAsync(byId.bind(userId))
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(UserStore::toRecord));
    }

    private static UserRecord toRecord(Row row) {
        return new UserRecord(row.getUuid("user_id"), row.getString("handle"), row.getString("display_name"),
                row.getString("phone"), row.getString("email"), row.getString("password_hash"),
                row.getInstant("created_at"));
    }
}
