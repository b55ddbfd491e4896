package dev.parley.persistence.conversations;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who has received and read one message: "read by 12 of 40" and the names behind it. */
@Schema(name = "MessageReceipts", description = "Who of the conversation's current participants (the sender left "
        + "out; in a group, members who joined before the message) has received and read one message")
public record MessageReceiptsView(
        @Schema(required = true) String conversationId,
        @Schema(required = true) long seq,
        @Schema(required = true, description = "Who sent the message") UUID from,
        @Schema(required = true, description = "Have read it (read up to this seq or beyond)") List<UUID> readBy,
        @Schema(required = true, description = "A device of theirs has it, not read yet") List<UUID> deliveredTo,
        @Schema(required = true, description = "No device of theirs has acknowledged it yet") List<UUID> waitingFor) {
}
