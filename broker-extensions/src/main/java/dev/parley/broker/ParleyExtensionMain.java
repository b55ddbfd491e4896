package dev.parley.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import dev.parley.broker.auth.Security;
import dev.parley.broker.config.ConfigException;
import dev.parley.broker.config.ConfigReader;
import dev.parley.broker.config.ExtensionConfig;
import dev.parley.broker.health.CassandraCheck;
import dev.parley.broker.health.HealthServer;
import dev.parley.broker.health.Readiness;
import dev.parley.broker.health.RedisCheck;
import dev.parley.broker.messages.Messaging;
import dev.parley.broker.groups.Rosters;
import dev.parley.store.accounts.DeviceRecord;
import dev.parley.store.accounts.DeviceStore;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.friends.FriendStore;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.Topic;
import dev.parley.broker.presence.CleanLeaveSaysOffline;
import dev.parley.broker.presence.ConnectedDevices;
import dev.parley.broker.presence.DevicePresenceCheck;
import dev.parley.broker.presence.PresenceReportExpiry;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.broker.nodes.AllNodes;
import dev.parley.broker.receipts.ReceiptsFeature;
import dev.parley.store.messages.MessageStore;
import dev.parley.broker.startup.Dependencies;
import dev.parley.broker.startup.StartupException;
import dev.parley.broker.topics.PublishDispatch;
import dev.parley.broker.typing.Typing;
import dev.parley.broker.messages.UserDirectory;
import dev.parley.store.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's HiveMQ extension: reads the configuration, connects the dependencies, starts the health
 * endpoint and registers the broker-side features: authentication and topic permissions (later: the
 * message pipeline).
 *
 * <p>HiveMQ uses the no-argument constructor and reads {@value ConfigReader#FILE} from the extension's
 * folder; an embedding program passes the configuration to {@link #ParleyExtensionMain(ExtensionConfig)}.
 * If anything needed is missing, the start is prevented with a reason an operator can act on; HiveMQ
 * then runs without the extension and marks its folder {@code DISABLED}.
 */
public final class ParleyExtensionMain implements ExtensionMain {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyExtensionMain.class);

    /** How long one readiness check may take; a load balancer polls often, so keep it short. */
    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

    private final ExtensionConfig injectedConfig;
    private final BrokerServices broker;
    private volatile Running running;

    /** Used by HiveMQ: the configuration comes from the extension folder. */
    public ParleyExtensionMain() {
        this.injectedConfig = null;
        this.broker = BrokerServices.HIVEMQ;
    }

    /** For embedding (tests, the dev launcher): runs with this configuration, reads no file. */
    public ParleyExtensionMain(ExtensionConfig config) {
        this(Objects.requireNonNull(config, "config"), BrokerServices.HIVEMQ);
    }

    /** For tests without a broker: {@code config} null means read the extension folder's file. */
    ParleyExtensionMain(ExtensionConfig config, BrokerServices broker) {
        this.injectedConfig = config;
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        try {
            ExtensionConfig config = injectedConfig != null ? injectedConfig : readConfig(input);
            running = start(config, broker);
            LOG.info("Parley extension started: Cassandra {} keyspace {} at {}, Redis {}, health endpoint {},"
                            + " access tokens checked with the secret from {}",
                    config.cassandra().contactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList(),
                    config.cassandra().keyspace(), config.cassandra().consistency(), config.redis().address(),
                    running.health == null ? "off" : "http://" + config.health().address() + HealthServer.READY_PATH,
                    config.auth().source());
        } catch (StartupException | ConfigException e) {
            // One line an operator can act on; the stack trace only for whoever debugs Parley itself.
            LOG.error("Parley extension cannot start: {}", e.getMessage());
            LOG.debug("Parley extension start failure", e);
            output.preventExtensionStartup(e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not an operator's mistake: the stack trace belongs in the log this time.
            LOG.error("Parley extension cannot start: unexpected {}", e.toString(), e);
            output.preventExtensionStartup("unexpected failure while starting (" + e + "); see the ERROR above in hivemq.log");
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        Running current = running;
        running = null;
        if (current != null) {
            current.close();
            LOG.info("Parley extension stopped");
        }
    }

    private static ExtensionConfig readConfig(ExtensionStartInput input) {
        ConfigReader.Result result = ConfigReader.read(input.getExtensionInformation().getExtensionHomeFolder().toPath());
        result.warnings().forEach(w -> LOG.warn("Parley configuration: {}", w));
        return result.config();
    }

    private static Running start(ExtensionConfig config, BrokerServices broker) throws StartupException {
        Dependencies dependencies = Dependencies.connect(config);
        HealthServer health = null;
        Security security = null;
        Features features = null;
        try {
            if (config.health().enabled()) {
                Readiness readiness = new Readiness(List.of(
                        new CassandraCheck(dependencies.cassandra(), READINESS_TIMEOUT),
                        new RedisCheck(dependencies.redis())), READINESS_TIMEOUT);
                health = HealthServer.start(config.health(), readiness);
            }
            security = registerSecurity(config, dependencies, broker);
            features = registerFeatures(config, dependencies, broker);
            return new Running(dependencies, health, security, features);
        } catch (StartupException | RuntimeException | Error e) {
            new Running(dependencies, health, security, features).close();
            throw e;
        }
    }

    /**
     * Authentication (CONNECT) and topic permissions (PUBLISH, will, SUBSCRIBE); see {@link Security}.
     * HiveMQ opens its listeners only after extensions have started, so no client connects before this.
     */
    private static Security registerSecurity(ExtensionConfig config, Dependencies dependencies, BrokerServices broker) {
        FriendStore friends = new FriendStore(dependencies.cassandra(), config.cassandra().keyspace());
        DeviceStore devices = new DeviceStore(dependencies.cassandra(), config.cassandra().keyspace());
        // One Cassandra read, bounded by the request timeout, plus a margin for the driver's own queueing.
        Duration storeCheckTimeout = config.cassandra().requestTimeout().plusSeconds(1);
        return Security.register(config.auth(), broker.securityRegistry(), broker.clientService(), friends::areFriends,
                device -> devices.find(device.userId(), device.deviceId())
                        .thenApply(found -> found.map(DeviceRecord::revoked).orElse(false)),
                storeCheckTimeout, dependencies.redisSubscriptions(), broker.subscriptionStore(), Clock.systemUTC());
    }

    /**
     * 1:1 messages (sends, catch-up) and receipts, on every client connection: one {@link PublishDispatch}
     * routes each publish to the feature that owns its kind of topic.
     */
    private static Features registerFeatures(ExtensionConfig config, Dependencies dependencies, BrokerServices broker) {
        Clock clock = Clock.systemUTC();
        String keyspace = config.cassandra().keyspace();
        // One set of prepared statements for the message tables, shared by the features.
        MessageStore messages = new MessageStore(dependencies.cassandra(), keyspace);
        // One roster cache for sends, catch-up and receipts.
        Rosters rosters = new Rosters(new GroupStore(dependencies.cassandra(), keyspace,
                new ConversationIndex(dependencies.cassandra(), keyspace)), dependencies.redis());
        // One cache of who exists, for 1:1 sends and typing.
        UserDirectory users = new UserDirectory(new UserStore(dependencies.cassandra(), keyspace), clock,
                Duration.ofMinutes(10));
        Features features = new Features();
        try {
            Messaging messaging = features.opened(new Messaging(dependencies.cassandra(), keyspace, messages, rosters,
                    users, dependencies.redis(), dependencies.redisSubscriptions(), config.messaging().nodeId(),
                    config.messaging().ackTimeout(), broker.publishService(), broker.publishBuilder(), clock));
            AllNodes allNodes = features.opened(new AllNodes(config.messaging().nodeId(), broker.publishService(),
                    broker.publishBuilder(), dependencies.redis(), dependencies.redisSubscriptions()));
            ReceiptsFeature receipts = features.opened(new ReceiptsFeature(dependencies.cassandra(), keyspace, messages,
                    rosters, config.messaging().ackTimeout(), allNodes, clock));
            Typing typing = features.opened(new Typing(users, rosters, config.messaging().nodeId(),
                    config.messaging().ackTimeout(), dependencies.redis(), dependencies.redisSubscriptions(),
                    broker.publishService(), broker.publishBuilder(), clock));
            PublishDispatch.Builder topics = PublishDispatch.builder();
            messaging.register(topics);
            receipts.register(topics);
            typing.register(topics);
            ConnectedDevices connected = features.opened(new ConnectedDevices(broker.publishService(),
                    broker.publishBuilder(), broker.clientService(), dependencies.redisSubscriptions()));
            connected.start();
            topics.on(Topic.DevicePresence.class, new DevicePresenceCheck(connected));
            PresenceReportExpiry willExpiry = new PresenceReportExpiry();
            broker.interceptorRegistry().setConnectInboundInterceptorProvider(input -> willExpiry);
            PublishDispatch publishes = topics.build();
            // No PUBACK outbound interceptor on purpose: HiveMQ writes a refused publish's PUBACK through the
            // interceptors but its DISCONNECT directly, so one would let the DISCONNECT overtake the PUBACK and
            // the client would lose the refusal's reason code and string.
            CleanLeaveSaysOffline cleanLeave = new CleanLeaveSaysOffline();
            broker.initializerRegistry().setClientInitializer((input, client) -> {
                client.addPublishInboundInterceptor(publishes);
                client.addDisconnectInboundInterceptor(cleanLeave);
                // Services (presence-bridge) receive no chat envelopes, so they give no delivered receipts.
                if (!ServiceClient.claimsService(input.getClientInformation().getClientId())) {
                    receipts.initialize(client);
                }
            });
        } catch (RuntimeException | Error e) {
            features.close();
            throw e;
        }
        LOG.info("Parley messaging on node {}", config.messaging().nodeId());
        return features;
    }

    /**
     * The features' own threads and subscriptions, closed in reverse order of opening when the extension
     * stops, or as far as they got when a later one fails to start.
     */
    private static final class Features {
        private final List<AutoCloseable> opened = new ArrayList<>();

        <T extends AutoCloseable> T opened(T feature) {
            opened.add(feature);
            return feature;
        }

        void close() {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed: {}", opened.get(i).getClass().getSimpleName(), e.toString());
                }
            }
        }
    }

    /** What a started extension holds, closed in reverse order of opening. */
    private record Running(Dependencies dependencies, HealthServer health, Security security, Features features) {
        void close() {
            if (features != null) {
                features.close();
            }
            if (security != null) {
                security.close();
            }
            if (health != null) {
                health.close();
            }
            dependencies.close();
        }
    }
}
