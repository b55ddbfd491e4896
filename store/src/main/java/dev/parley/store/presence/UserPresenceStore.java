package dev.parley.store.presence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Reads and writes {@code user_presence} (V008): the last seen presence-bridge persists and the privacy
 * settings persistence-service writes. Every call is asynchronous.
 */
public final class UserPresenceStore {

    /**
     * A user's row.
     *
     * @param lastSeen when the last device went offline; null if never recorded
     * @param privacy  the settings, {@link PresencePrivacy#DEFAULT} when never set
     */
    public record Row(Instant lastSeen, PresencePrivacy privacy) {
        public static final Row NONE = new Row(null, PresencePrivacy.DEFAULT);
    }

    private final CqlSession session;
    private final PreparedStatement recordLastSeen;
    private final PreparedStatement saveSettings;
    private final PreparedStatement select;

    public UserPresenceStore(CqlSession session, String keyspace) {
        this.session = session;
        // The write timestamp is the last-seen instant: Cassandra keeps the newest, whatever order writes land in.
        this.recordLastSeen = session.prepare("UPDATE " + keyspace
                + ".user_presence USING TIMESTAMP ? SET last_seen = ? WHERE user_id = ?");
        this.saveSettings = session.prepare("UPDATE " + keyspace
                + ".user_presence SET visibility = ?, show_last_seen = ?, settings_updated_at = ? WHERE user_id = ?");
        this.select = session.prepare("SELECT last_seen, visibility, show_last_seen FROM " + keyspace
                + ".user_presence WHERE user_id = ?");
    }

    /** Records that the user was last online at {@code lastSeen}, unless a later time is recorded already. */
    public CompletionStage<Void> recordLastSeen(UUID user, Instant lastSeen) {
        Instant millis = lastSeen.truncatedTo(ChronoUnit.MILLIS);
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, millis);
        return session.executeAsync(recordLastSeen.bind(micros, millis, user)).thenApply(rs -> null);
    }

    public CompletionStage<Void> saveSettings(UUID user, PresencePrivacy privacy, Instant at) {
        return session.executeAsync(saveSettings.bind(privacy.visibility(), privacy.showLastSeen(), at, user))
                .thenApply(rs -> null);
    }

    /** The user's row; {@link Row#NONE} when there is none. */
    public CompletionStage<Row> find(UUID user) {
        return session.executeAsync(select.bind(user)).thenApply(rs -> Optional.ofNullable(rs.one())
                .map(UserPresenceStore::row).orElse(Row.NONE));
    }

    private static Row row(com.datastax.oss.driver.api.core.cql.Row row) {
        PresencePrivacy privacy = row.isNull("visibility") && row.isNull("show_last_seen") ? PresencePrivacy.DEFAULT
                : new PresencePrivacy(PresenceKeys.INVISIBLE.equals(row.getString("visibility")),
                        row.isNull("show_last_seen") || row.getBoolean("show_last_seen"));
        return new Row(row.getInstant("last_seen"), privacy);
    }
}
