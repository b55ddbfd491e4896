package dev.parley.persistence.conversations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One of the caller's conversations, as a chat list shows it. */
@Schema(name = "Conversation", description = "One of your conversations")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversationView(
        @Schema(required = true, example = "dm:0b6f2b1e-5c1d-4a8e-9f3a-2c4d6e8f0a1b:9816c3a0-7e2f-4b5a-8c9d-0e1f2a3b4c5d") String conversationId,
        @Schema(description = "The other user of a 1:1 conversation; absent for groups") UUID peer,
        @Schema(description = "The group of a group conversation; absent for 1:1") UUID groupId,
        @Schema(required = true, description = "The seq of the newest message (0 when there is none)") long lastSeq,
        @Schema(description = "The newest message; absent when there is none") EnvelopeView lastMessage,
        @Schema(required = true, description = "Messages after your read watermark: lastSeq minus what you have read, "
                + "never negative") long unreadCount,
        @Schema(required = true, description = "Receipt watermarks of the participants (for 1:1 both of you, 0 when "
                + "nothing was delivered or read yet; for groups those who have any)") List<ReceiptView> receipts) {

    @Schema(name = "Receipts", description = "How far one participant has received and read")
    public record ReceiptView(
            @Schema(required = true) UUID userId,
            @Schema(required = true, description = "Delivered to a device of theirs up to this seq") long deliveredUpToSeq,
            @Schema(required = true, description = "Read up to this seq") long readUpToSeq) {
    }
}
