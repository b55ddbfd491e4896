package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadMarkTest {

    private final ConversationId conversation = ConversationId.direct(UUID.randomUUID(), UUID.randomUUID());

    private static ReadMark parse(String json) throws InvalidPayloadException {
        return ReadMark.parse(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesAReadMark() throws Exception {
        assertThat(parse("{\"conversationId\":\"" + conversation + "\",\"type\":\"read\",\"upToSeq\":12}"))
                .isEqualTo(new ReadMark(conversation, 12));
    }

    @Test
    void devicesCannotClaimDelivery() {
        assertThatThrownBy(() -> parse("{\"conversationId\":\"" + conversation + "\",\"type\":\"delivered\",\"upToSeq\":1}"))
                .hasMessageContaining("recorded by the broker");
    }

    @Test
    void refusesBadSeqsAndIds() {
        assertThatThrownBy(() -> parse("{\"conversationId\":\"" + conversation + "\",\"type\":\"read\",\"upToSeq\":0}"))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> parse("{\"conversationId\":\"" + conversation + "\",\"type\":\"read\",\"upToSeq\":1.5}"))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("{\"conversationId\":\"dm:x:y\",\"type\":\"read\",\"upToSeq\":1}"))
                .hasMessageContaining("conversationId");
    }
}
