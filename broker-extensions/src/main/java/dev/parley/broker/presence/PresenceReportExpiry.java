package dev.parley.broker.presence;

import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import dev.parley.protocol.presence.ReportAge;

/**
 * Gives a device's will (its offline report) the message expiry {@link ReportAge#EXPIRY}, as
 * {@link DevicePresenceCheck} does for its publishes: HiveMQ counts it down while the will waits in
 * presence-bridge's session, so the bridge dates the offline when the device left, even when it was down
 * then. The only will the broker accepts is the device's own offline report (checked at CONNECT).
 * Registered once for all clients (no per-connection cost); CPU only.
 */
public final class PresenceReportExpiry implements ConnectInboundInterceptor {

    @Override
    public void onConnect(ConnectInboundInput input, ConnectInboundOutput output) {
        output.getConnectPacket().getModifiableWillPublish()
                .filter(will -> will.getTopic().startsWith("presence/"))
                .ifPresent(will -> will.setMessageExpiryInterval(ReportAge.EXPIRY.toSeconds()));
    }
}
