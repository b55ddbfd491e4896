package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import dev.parley.protocol.ClientIdentity;

/**
 * The authenticated device behind a connection, for interceptors and authorizers.
 *
 * <p>The client id is the identity: {@link TokenAuthenticator} lets a connection in only if its client id
 * is {@code {userId}/{deviceId}} and its access token was issued to exactly that device, and a client id
 * cannot change during a connection. So parsing it is all that is needed, and it is on every input HiveMQ
 * hands an extension. (Connection attributes would be a second copy of the same fact, encoded as bytes.)
 * Parse once per connection where possible, e.g. in a ClientInitializer.
 */
public final class ConnectionIdentity {

    private ConnectionIdentity() {
    }

    /** @throws IllegalStateException if the client was not authenticated by Parley (a bug, not bad input) */
    public static ClientIdentity of(ClientInformation client) {
        return of(client.getClientId());
    }

    /** @throws IllegalStateException if the client id is not a Parley client id (not authenticated by Parley) */
    public static ClientIdentity of(String clientId) {
        return ClientIdentity.parse(clientId).orElseThrow(() -> new IllegalStateException(
                "client id '" + TopicPolicy.shorten(clientId) + "' is not {userId}/{deviceId}: "
                        + "the connection was not authenticated by Parley's authenticator"));
    }
}
