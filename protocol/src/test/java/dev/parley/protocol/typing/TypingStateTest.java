package dev.parley.protocol.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Payloads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypingStateTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBothStates() throws Exception {
        assertThat(TypingState.parse(bytes("{\"state\":\"typing\"}"))).isEqualTo(TypingState.TYPING);
        assertThat(TypingState.parse(bytes("{\"state\":\"paused\"}"))).isEqualTo(TypingState.PAUSED);
    }

    @Test
    void refusesWhatIsNotAStateUpdate() {
        for (String bad : new String[] {"typing", "{}", "{\"state\":\"TYPING\"}", "{\"state\":1}", "[\"typing\"]",
                "{\"state\":\"recording\"}"}) {
            assertThatThrownBy(() -> TypingState.parse(bytes(bad))).as(bad).isInstanceOf(InvalidPayloadException.class)
                    .hasMessageContaining("{\"state\":\"typing\"}");
        }
        String oversize = "{\"state\":\"typing\",\"pad\":\"" + "x".repeat(TypingState.MAX_PAYLOAD_BYTES) + "\"}";
        assertThatThrownBy(() -> TypingState.parse(bytes(oversize))).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("at most 256 bytes");
    }

    @Test
    void anIndicatorForAGroupCarriesItsGroupAndA1to1OneDoesNot() {
        UUID from = UUID.randomUUID();
        String direct = new String(Payloads.toJson(new TypingIndicator("dm:a:b", from, null, TypingState.TYPING,
                Instant.parse("2026-11-26T10:42:00Z"))), StandardCharsets.UTF_8);
        assertThat(direct).isEqualTo("{\"conversationId\":\"dm:a:b\",\"from\":\"" + from
                + "\",\"state\":\"typing\",\"at\":\"2026-11-26T10:42:00Z\"}");
        TypingIndicator back = Payloads.fromJson(direct.getBytes(StandardCharsets.UTF_8), TypingIndicator.class);
        assertThat(back.state()).isEqualTo(TypingState.TYPING);
        assertThat(back.groupId()).isNull();
    }
}
