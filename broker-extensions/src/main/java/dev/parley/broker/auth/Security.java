package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import dev.parley.broker.DaemonThreads;
import dev.parley.broker.config.AuthSettings;
import dev.parley.protocol.ClientIdentity;
import com.hivemq.extension.sdk.api.auth.Authorizer;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.ServiceTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's authentication and topic permissions, registered with HiveMQ in one call: the
 * {@link TokenAuthenticator} for every CONNECT, a {@link TopicAuthorizer} per connection for every
 * PUBLISH, will and SUBSCRIBE, the {@link ConnectionExpiry} that ends connections whose token has
 * expired, the {@link LogoutDisconnects} that end those of devices that logged out and the
 * {@link UnfriendedPresence} that drops ex-friends' presence subscriptions. {@link #close()} on
 * extension stop (HiveMQ removes the registrations itself).
 */
public final class Security implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Security.class);

    private final ConnectionExpiry expiry;
    private final LogoutDisconnects logouts;
    private final UnfriendedPresence unfriended;
    private final ScheduledExecutorService timer;

    private Security(ConnectionExpiry expiry, LogoutDisconnects logouts, UnfriendedPresence unfriended,
                     ScheduledExecutorService timer) {
        this.expiry = expiry;
        this.logouts = logouts;
        this.unfriended = unfriended;
        this.timer = timer;
    }

    /**
     * @param registry where the authenticator and authorizer providers go ({@code Services.securityRegistry()})
     * @param clients  used to end connections whose token expired ({@code Services.clientService()})
     * @param friends  decides subscriptions to another user's presence
     * @param sessions says whether a connecting device was logged out (its token outlives the logout)
     * @param storeCheckTimeout how long either store check may take before the subscription or CONNECT is refused
     * @param subscriptions where logouts and ended friendships are heard ({@link LogoutDisconnects},
     *                      {@link UnfriendedPresence})
     * @param subscriptionStore where ex-friends' presence subscriptions are removed ({@code Services.subscriptionStore()})
     */
    public static Security register(AuthSettings settings, SecurityRegistry registry, ClientService clients,
                                    FriendCheck friends, DeviceSessions sessions, Duration storeCheckTimeout,
                                    StatefulRedisPubSubConnection<String, String> subscriptions,
                                    SubscriptionStore subscriptionStore, Clock clock) {
        AccessTokens tokens = new AccessTokens(settings.tokenSecret(), clock);
        ServiceTokens serviceTokens = new ServiceTokens(settings.tokenSecret(), clock);
        // One thread for the timed work of auth: token expiry sweeps, logout and unfriending rechecks.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-auth-timer"));
        ConnectionExpiry expiry = new ConnectionExpiry((clientId, reason) ->
                clients.disconnectClient(clientId, false, DisconnectReasonCode.MAXIMUM_CONNECT_TIME, reason)
                        .whenComplete((disconnected, failure) -> {
                            if (failure != null) {
                                LOG.warn("Could not end the connection of {} after its token expired: {}", clientId,
                                        failure.toString());
                            } else if (Boolean.TRUE.equals(disconnected)) {
                                LOG.debug("Ended the connection of {}: its access token expired", clientId);
                            }
                        }), clock, timer);
        try {
            TokenAuthenticator authenticator = new TokenAuthenticator(tokens, serviceTokens, expiry, sessions,
                    storeCheckTimeout);
            registry.setAuthenticatorProvider(input -> authenticator);
            TopicAuthorizer.DenyAll denyAll = new TopicAuthorizer.DenyAll();
            // One authorizer for every device (it reads the identity from each input): HiveMQ keeps the
            // provider's answer per connection, so a per-device instance would cost every idle connection.
            TopicAuthorizer devices = new TopicAuthorizer(friends, storeCheckTimeout);
            registry.setAuthorizerProvider(input -> {
                String clientId = input.getClientInformation().getClientId();
                Optional<Authorizer> device = ClientIdentity.parse(clientId).map(me -> devices);
                return device.or(() -> ServiceClient.parse(clientId).map(ServiceAuthorizer::new)).orElse(denyAll);
            });
            // Again 1 s after a logout or an ended friendship (a connection or subscription granted just before
            // it usually exists by then) and once every check that read the store before it has finished.
            List<Duration> rechecks = List.of(Duration.ofSeconds(1), storeCheckTimeout.plusSeconds(1));
            LogoutDisconnects logouts = new LogoutDisconnects(clients, subscriptions, sessions, rechecks, timer);
            try {
                return new Security(expiry, logouts,
                        new UnfriendedPresence(subscriptionStore, subscriptions, friends, rechecks, timer), timer);
            } catch (RuntimeException e) {
                logouts.close();
                throw e;
            }
        } catch (RuntimeException e) {
            expiry.close();
            timer.shutdownNow();
            throw e;
        }
    }

    @Override
    public void close() {
        unfriended.close();
        logouts.close();
        expiry.close();
        timer.shutdownNow();
    }
}
