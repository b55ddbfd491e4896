package dev.parley.persistence.conversations;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of catch-up: the missing messages and where the device stands after storing them. */
@Schema(name = "SyncPage", description = "Missing messages, per conversation oldest first, conversations in id order")
public record SyncPage(
        @Schema(required = true) List<EnvelopeView> messages,
        @Schema(required = true, description = "conversationId -> the last seq you hold once you stored these messages; "
                + "send them as the next request's cursors") Map<String, Long> cursors,
        @Schema(required = true, description = "False when the limit was reached: ask again with the returned cursors")
        boolean complete) {
}
