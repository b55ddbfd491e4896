package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyncRequestTest {

    private final ConversationId conversation = ConversationId.direct(UUID.randomUUID(), UUID.randomUUID());

    private static SyncRequest parse(String json) throws InvalidPayloadException {
        return SyncRequest.parse(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsCursorsAndLimit() throws Exception {
        SyncRequest request = parse("{\"requestId\":\"r1\",\"cursors\":{\"" + conversation + "\":17},\"limit\":50}");
        assertThat(request.cursor(conversation)).isEqualTo(17);
        assertThat(request.limit()).isEqualTo(50);
        assertThat(request.cursor(ConversationId.group(UUID.randomUUID()))).as("an unlisted conversation").isZero();
    }

    @Test
    void theLargestSeqAClientCanHoldIsAcceptedAndAnythingLargerRefused() throws Exception {
        assertThat(parse("{\"cursors\":{\"" + conversation + "\":" + Seq.MAX + "}}").cursor(conversation))
                .isEqualTo(Seq.MAX);
        for (String tooLarge : new String[] {Long.toString(Seq.MAX + 1), Long.toString(Long.MAX_VALUE),
                "99999999999999999999999"}) {
            assertThatThrownBy(() -> parse("{\"cursors\":{\"" + conversation + "\":" + tooLarge + "}}"))
                    .as(tooLarge).isInstanceOf(InvalidPayloadException.class)
                    .hasMessageContaining("from 0 to " + Seq.MAX);
        }
    }

    @Test
    void refusesNegativeAndFractionalCursorsAndBadLimits() {
        assertThatThrownBy(() -> parse("{\"cursors\":{\"" + conversation + "\":-1}}")).hasMessageContaining("from 0 to");
        assertThatThrownBy(() -> parse("{\"cursors\":{\"" + conversation + "\":1.5}}")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("{\"cursors\":{\"dm:x:y\":1}}")).hasMessageContaining("not a conversation id");
        assertThatThrownBy(() -> parse("{\"limit\":501}")).hasMessageContaining("from 1 to 500");
    }
}
