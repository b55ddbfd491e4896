package dev.parley.client.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.messages.MessageStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Catch-up over MQTT, one page at a time: publish {@code {requestId, cursors, limit}} to
 * {@code users/{me}/sync} with the last seq held per conversation; the broker answers with the missing
 * envelopes, then a {@code sync} event; {@code complete: false} means ask again. The next request is
 * built from what the store now holds (not from the server's cursors), so an envelope that went
 * missing on the way is asked for again instead of skipped.
 *
 * <p>Not thread-safe: used on the client's thread only.
 */
public final class CatchUp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a sync event means for the catch-up. */
    public enum Step {
        /** Not the answer to the outstanding request (an old connection's): ignore it. */
        IGNORED,
        /** This page is in; ask for the next. */
        MORE,
        /** Everything is in. */
        DONE
    }

    private final MessageStore store;
    private final int pageSize;
    private String outstanding;
    private Map<String, Long> lastCursors = Map.of();

    public CatchUp(MessageStore store, int pageSize) {
        this.store = store;
        this.pageSize = pageSize;
    }

    /** The payload of the next page request; from now on only its answer counts. */
    public byte[] nextRequest() {
        outstanding = UUID.randomUUID().toString();
        ObjectNode request = JSON.createObjectNode().put("requestId", outstanding).put("limit", pageSize);
        ObjectNode cursors = request.putObject("cursors");
        lastCursors = Map.copyOf(store.cursors());
        lastCursors.forEach(cursors::put);
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    public Step onSyncEvent(JsonNode event) {
        if (outstanding == null || !outstanding.equals(event.path("requestId").asText(null))) {
            return Step.IGNORED;
        }
        if (event.path("complete").asBoolean(false)) {
            outstanding = null;
            return Step.DONE;
        }
        return Step.MORE;
    }

    /** The connection the request went out on is gone: its answer will not come. */
    public void abandon() {
        outstanding = null;
    }

    /** The cursors of the last request made (conversation → last seq held), for the app's diagnostics and tests. */
    public Map<String, Long> lastCursors() {
        return lastCursors;
    }

    public boolean inProgress() {
        return outstanding != null;
    }
}
