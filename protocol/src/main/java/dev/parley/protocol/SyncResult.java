package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The end of a catch-up answer, on {@code users/{me}/events}: {@code type} is always "sync";
 * {@code sent} envelopes preceded it; {@code complete} false means the limit was reached and the device
 * should ask again with {@code cursors} (the last seq now held per conversation).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncResult(String type, String requestId, int sent, boolean complete, Map<String, Long> cursors) {

    public static SyncResult of(String requestId, int sent, boolean complete, Map<String, Long> cursors) {
        return new SyncResult("sync", requestId, sent, complete, Map.copyOf(cursors));
    }
}
