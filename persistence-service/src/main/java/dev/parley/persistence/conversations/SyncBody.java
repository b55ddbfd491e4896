package dev.parley.persistence.conversations;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/me/sync}; the same request a device publishes to {@code users/{me}/sync}. */
@Schema(name = "SyncRequest", description = "What this device holds: per conversation, the last seq it has")
public record SyncBody(
        @Schema(description = "conversationId -> last seq held (0 or more). Conversations you take part in but do not "
                + "list count as 0, so new conversations come too", example = "{\"dm:0b6f2b1e-5c1d-4a8e-9f3a-2c4d6e8f0a1b:9816c3a0-7e2f-4b5a-8c9d-0e1f2a3b4c5d\": 17}")
        Map<String, Long> cursors,
        @Schema(description = "At most this many messages in the answer; 1-500, default 200", minimum = "1",
                maximum = "500") Integer limit) {
}
