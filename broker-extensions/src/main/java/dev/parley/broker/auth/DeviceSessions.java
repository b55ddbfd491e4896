package dev.parley.broker.auth;

import dev.parley.protocol.ClientIdentity;
import java.util.concurrent.CompletionStage;

/**
 * Whether a device's session was ended by a logout, answered asynchronously (from Cassandra: the
 * device's row, DeviceStore). A device never seen logging in has no session to end: false.
 */
@FunctionalInterface
public interface DeviceSessions {

    CompletionStage<Boolean> loggedOut(ClientIdentity device);
}
