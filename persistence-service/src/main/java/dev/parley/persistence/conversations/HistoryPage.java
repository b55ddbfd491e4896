package dev.parley.persistence.conversations;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a conversation's history, oldest first. */
@Schema(name = "HistoryPage", description = "Messages of one conversation, oldest first")
public record HistoryPage(
        @Schema(required = true) String conversationId,
        @Schema(required = true, description = "Oldest first; empty when there is nothing in the asked range")
        List<EnvelopeView> messages,
        @Schema(required = true, description = "Whether messages older than this page's first exist: ask with beforeSeq = "
                + "that seq. False for an empty page")
        boolean hasOlder) {
}
