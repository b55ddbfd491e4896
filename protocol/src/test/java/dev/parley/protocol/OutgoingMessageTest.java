package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutgoingMessageTest {

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static OutgoingMessage parse(String json) throws InvalidPayloadException {
        return OutgoingMessage.parse(utf8(json));
    }

    @Test
    void acceptsAMessageAndStripsSurroundingWhiteSpace() throws Exception {
        OutgoingMessage m = parse("{\"clientMsgId\":\"3f1c-aa\",\"text\":\"  hello 👋 \\n \"}");
        assertThat(m).isEqualTo(new OutgoingMessage("3f1c-aa", "hello 👋"));
    }

    @Test
    void countsCodePointsNotUtf16Units() throws Exception {
        String thousandEmoji = "😀".repeat(1000);
        assertThat(parse("{\"clientMsgId\":\"a\",\"text\":\"" + thousandEmoji + "\"}").text()).isEqualTo(thousandEmoji);
        assertThatThrownBy(() -> parse("{\"clientMsgId\":\"a\",\"text\":\"" + "x".repeat(1001) + "\"}"))
                .hasMessage("text has 1001 characters; at most 1000 are allowed");
    }

    @Test
    void refusesEmptyOrBlankText() {
        assertThatThrownBy(() -> parse("{\"clientMsgId\":\"a\",\"text\":\"  \\t \"}"))
                .isInstanceOf(InvalidPayloadException.class).hasMessageStartingWith("text is empty");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] bytes = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> OutgoingMessage.parse(ByteBuffer.wrap(bytes)))
                .hasMessage("payload is not valid UTF-8");
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        assertThatThrownBy(() -> parse("hello")).hasMessageStartingWith("payload is not valid JSON");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("payload must be a JSON object");
    }

    @Test
    void refusesAMissingOrMalformedClientMsgId() {
        assertThatThrownBy(() -> parse("{\"text\":\"hi\"}")).hasMessageStartingWith("clientMsgId is missing");
        assertThatThrownBy(() -> parse("{\"clientMsgId\":42,\"text\":\"hi\"}")).hasMessageStartingWith("clientMsgId must be");
        assertThatThrownBy(() -> parse("{\"clientMsgId\":\"has space\",\"text\":\"hi\"}"))
                .hasMessageStartingWith("clientMsgId must be");
    }

    @Test
    void refusesControlCharactersAndLoneSurrogates() {
        assertThatThrownBy(() -> parse("{\"clientMsgId\":\"a\",\"text\":\"a\\u0000b\"}"))
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> parse("{\"clientMsgId\":\"a\",\"text\":\"a\\ud800b\"}"))
                .hasMessageContaining("unpaired surrogate");
    }
}
