package dev.parley.protocol.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.InvalidPayloadException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceStatusTest {

    private static DeviceStatus parse(String json) throws InvalidPayloadException {
        return DeviceStatus.parse(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsWhatADevicePublishes() throws Exception {
        assertThat(parse("{\"status\":\"online\",\"connection\":\"c-1\"}")).isEqualTo(new DeviceStatus(true, "c-1"));
        assertThat(parse("{\"status\":\"offline\"}")).isEqualTo(new DeviceStatus(false, null));
    }

    @Test
    void writesTheSameWireFormItReads() throws Exception {
        // The broker re-announces devices with this (presence rebuilt after a Redis flush).
        DeviceStatus online = new DeviceStatus(true, "4f7c2a9e-0d5b-4a11-9c3e-2b8f6d1e7a90");
        assertThat(new String(online.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"status\":\"online\",\"connection\":\"4f7c2a9e-0d5b-4a11-9c3e-2b8f6d1e7a90\"}");
        assertThat(DeviceStatus.parse(ByteBuffer.wrap(online.toJson()))).isEqualTo(online);
        assertThat(new String(new DeviceStatus(true, null).toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"status\":\"online\"}");
    }

    @Test
    void refusesAnythingElse() {
        assertThatThrownBy(() -> parse("{\"status\":\"away\"}")).hasMessageContaining("\"status\":\"online\"");
        assertThatThrownBy(() -> parse("{\"status\":\"online\",\"connection\":\"a b\"}"))
                .hasMessageContaining("\"connection\" must be");
    }
}
