package dev.parley.presence;

import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.tokens.ServiceTokens;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;

/**
 * The bridge's MQTT connection to the broker, as the service {@code svc:presence-bridge:{instance}}: it
 * subscribes to every device's presence through the shared subscription (so several bridges split the
 * work, each report handled once) and publishes aggregates retained.
 *
 * <p>Reconnects by itself, with a backoff up to 30 s (2 s until the first connection), minting a fresh service
 * token each time (the broker ends a connection when its token expires). The session is persistent (clean start false, session expiry
 * configurable): while the bridge restarts, the broker queues the presence reports — wills included — that
 * arrive for this instance's share of the subscription, and hands them over when it is back.
 */
final class BrokerLink implements MqttCallback, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerLink.class);
    static final String SUBSCRIPTION = "$share/" + ServiceClient.PRESENCE_BRIDGE + "/presence/+/+";
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /**
     * Until the first connection the retries stay this close: readiness waits for it, and a stack that starts
     * the bridge beside the broker has the broker listening seconds later, not after a 30 s backoff.
     */
    private static final long FIRST_CONNECT_MAX_BACKOFF_MILLIS = 2_000;

    private final PresenceSettings settings;
    private final ServiceClient identity;
    private final ServiceTokens tokens;
    private final Reports reports;
    private final ScheduledExecutorService scheduler;
    private final MqttAsyncClient client;
    private volatile boolean closed;
    private volatile boolean subscribed;
    /** Why the link is not ready, for the readiness check: the last failure, kept while retrying. */
    private volatile String problem = "connecting";
    private volatile boolean everConnected;
    private long backoffMillis = 500;

    /** Where device presence publishes go. */
    @FunctionalInterface
    interface Reports {
        /**
         * Handles one publish, called in arrival order; it is acknowledged when this completes.
         *
         * @param remainingExpiry the message expiry interval it arrived with (the broker's countdown, see
         *                        {@link dev.parley.protocol.presence.ReportAge}), if any
         */
        CompletionStage<?> report(String topic, byte[] payload, OptionalLong remainingExpiry);
    }

    /** @param reports receives every device presence publish, in arrival order */
    BrokerLink(PresenceSettings settings, ServiceTokens tokens, Reports reports,
               ScheduledExecutorService scheduler) throws MqttException {
        this.settings = settings;
        this.identity = new ServiceClient(ServiceClient.PRESENCE_BRIDGE, settings.instance());
        this.tokens = tokens;
        this.reports = reports;
        this.scheduler = scheduler;
        this.client = new MqttAsyncClient(settings.mqttUri(), identity.clientId(), new MemoryPersistence());
        client.setCallback(this);
        // A report is acknowledged once applied to Redis, not on arrival: one that a killed bridge had received
        // but not applied is delivered again when its persistent session resumes.
        client.setManualAcks(true);
    }

    void start() {
        connect();
    }

    /** True once connected and subscribed (readiness, tests). */
    boolean ready() {
        return client.isConnected() && subscribed;
    }

    /** Empty when {@link #ready()}; otherwise why not: still connecting, or the last failure. */
    Optional<String> notReady() {
        return ready() ? Optional.empty() : Optional.of(problem);
    }

    CompletionStage<Void> publishRetained(String topic, byte[] payload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        MqttMessage message = new MqttMessage(payload, 1, true, new MqttProperties());
        try {
            client.publish(topic, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        done.completeExceptionally(new IllegalStateException("broker refused the publish to " + topic
                                + " with 0x" + Integer.toHexString(codes[0])));
                    } else {
                        done.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    done.completeExceptionally(failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        options.setUserName(identity.userName());
        options.setPassword(tokens.issue(identity.service(), settings.tokenLifetime()).getBytes(StandardCharsets.UTF_8));
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    everConnected = true;
                    LOG.infof("Connected to the broker at %s as %s", settings.mqttUri(), identity.clientId());
                    subscribe();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    problem = "cannot connect: " + failure;
                    LOG.warnf("Cannot connect to the broker at %s as %s (%s); retrying", settings.mqttUri(),
                            identity.clientId(), failure.toString());
                    reconnectLater();
                }
            });
        } catch (MqttException | RuntimeException e) {
            problem = "cannot connect: " + e;
            LOG.warnf("Cannot connect to the broker at %s (%s); retrying", settings.mqttUri(), e.toString());
            reconnectLater();
        }
    }

    private void subscribe() {
        try {
            client.subscribe(SUBSCRIPTION, 1, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int code = token.getReasonCodes() == null ? 0 : token.getReasonCodes()[0];
                    if (code >= 0x80) {
                        problem = "the broker refused the subscription " + SUBSCRIPTION + " with 0x" + Integer.toHexString(code);
                        LOG.errorf("The broker refused the subscription %s with 0x%s: is its Parley extension the"
                                + " same version, and the token secret the same?", SUBSCRIPTION, Integer.toHexString(code));
                        return;
                    }
                    subscribed = true;
                    backoffMillis = 500;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    problem = "subscribing to " + SUBSCRIPTION + " failed: " + failure;
                    LOG.warnf("Subscribing to %s failed (%s)", SUBSCRIPTION, failure.toString());
                }
            });
        } catch (MqttException e) {
            problem = "subscribing to " + SUBSCRIPTION + " failed: " + e;
            LOG.warnf("Subscribing to %s failed (%s)", SUBSCRIPTION, e.toString());
        }
    }

    private synchronized void reconnectLater() {
        subscribed = false;
        if (closed) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(everConnected ? MAX_BACKOFF_MILLIS : FIRST_CONNECT_MAX_BACKOFF_MILLIS, backoffMillis * 2);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Long expiry = message.getProperties() == null ? null : message.getProperties().getMessageExpiryInterval();
        reports.report(topic, message.getPayload(), expiry == null ? OptionalLong.empty() : OptionalLong.of(expiry))
                .whenComplete((done, failure) -> acknowledge(topic, message));
    }

    private void acknowledge(String topic, MqttMessage message) {
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            // The connection is gone: the broker delivers the report again when the session resumes.
            LOG.debugf("Could not acknowledge the report on %s (%s)", topic, e.toString());
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        problem = "lost the connection: " + response;
        LOG.warnf("Lost the broker connection (%s); reconnecting", response);
        reconnectLater();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warnf("MQTT error: %s", exception.toString());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debugf("Disconnect at close: %s", e.toString());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debugf("Close: %s", e.toString());
            }
        }
    }
}
