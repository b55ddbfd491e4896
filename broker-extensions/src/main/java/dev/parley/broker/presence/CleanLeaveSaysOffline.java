package dev.parley.broker.presence;

import com.hivemq.extension.sdk.api.interceptor.disconnect.DisconnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.disconnect.parameter.DisconnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.disconnect.parameter.DisconnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;

/**
 * Turns a device's normal DISCONNECT (0x00) into "disconnect with will message" (0x04), so a clean leave
 * tells friends "offline" as a lost connection does. MQTT discards the will on 0x00, and the only will the
 * broker accepts is the device's own offline status (see {@link DevicePresenceCheck}), so nothing else is
 * ever published by this. Without it, a client that leaves with a plain DISCONNECT would stay online to its
 * friends until its presence lease ran out (README, Presence).
 */
public final class CleanLeaveSaysOffline implements DisconnectInboundInterceptor {

    @Override
    public void onInboundDisconnect(DisconnectInboundInput input, DisconnectInboundOutput output) {
        if (input.getDisconnectPacket().getReasonCode() == DisconnectReasonCode.NORMAL_DISCONNECTION) {
            output.getDisconnectPacket().setReasonCode(DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
        }
    }
}
