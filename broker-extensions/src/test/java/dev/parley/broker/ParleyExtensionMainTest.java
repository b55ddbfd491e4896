package dev.parley.broker;

import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.intializer.ClientInitializer;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.auth.provider.AuthenticatorProvider;
import com.hivemq.extension.sdk.api.services.auth.provider.AuthorizerProvider;
import com.hivemq.extension.sdk.api.services.auth.provider.EnhancedAuthenticatorProvider;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.interceptor.GlobalInterceptorRegistry;
import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptorProvider;
import com.hivemq.extension.sdk.api.interceptor.connack.ConnackOutboundInterceptorProvider;
import dev.parley.broker.testing.Http;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Ports;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension's start and stop called the way HiveMQ calls them (HiveMQ's own parameter objects
 * and registries replaced by plain implementations of the SDK interfaces), against the real Cassandra and
 * Redis. Calling it directly keeps the prevented-start reason observable without a broker.
 */
@Timeout(180)
class ParleyExtensionMainTest {

    private static String keyspace;

    @BeforeAll
    static void migrate() {
        keyspace = TestStack.migratedKeyspace("main");
    }

    @Test
    void startsServesReadinessAndStopsCleanly() throws Exception {
        int healthPort = Ports.free();
        RecordingBroker broker = new RecordingBroker();
        ParleyExtensionMain main = new ParleyExtensionMain(TestStack.config(keyspace, healthPort), broker);
        RecordingOutput output = new RecordingOutput();

        main.extensionStart(new StartInput(Path.of("/nonexistent")), output);
        try {
            assertThat(output.reason).isNull();
            assertThat(Http.get("http://127.0.0.1:" + healthPort + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(broker.authenticators).as("authenticator registered").isNotNull();
            assertThat(broker.authorizers).as("authorizers registered").isNotNull();
            assertThat(broker.initializer).as("message pipeline registered for every client").isNotNull();
        } finally {
            main.extensionStop(new StopInput(), new ExtensionStopOutput() { });
        }
        assertThat(Ports.isFree("127.0.0.1", healthPort)).as("health port released on stop").isTrue();
    }

    @Test
    void unreachableCassandraPreventsTheStartWithAnActionableReason() {
        int closed = Ports.free();
        int healthPort = Ports.free();
        ParleyExtensionMain main = new ParleyExtensionMain(TestStack.config(keyspace, healthPort,
                Map.of("cassandra.contact-points", "127.0.0.1:" + closed)), new RecordingBroker());
        RecordingOutput output = new RecordingOutput();

        main.extensionStart(new StartInput(Path.of("/nonexistent")), output);

        assertThat(output.reason)
                .startsWith("Cassandra at 127.0.0.1:" + closed + " is unreachable")
                .endsWith("start it (./parley up starts one) or set cassandra.contact-points in conf/parley.properties");
        assertThat(Ports.isFree("127.0.0.1", healthPort)).as("no health endpoint left behind").isTrue();
    }

    @Test
    void aKeyspaceWithoutSchemaPreventsTheStart() {
        String missing = dev.parley.devstack.testing.TestDependencies.uniqueKeyspace("absent");
        RecordingOutput output = new RecordingOutput();

        new ParleyExtensionMain(TestStack.config(missing, 0), new RecordingBroker())
                .extensionStart(new StartInput(Path.of("/x")), output);

        assertThat(output.reason).contains("no keyspace '" + missing + "'").contains("start persistence-service first");
    }

    @Test
    void aBusyHealthPortPreventsTheStartAndReleasesTheConnections() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ParleyExtensionMain main = new ParleyExtensionMain(TestStack.config(keyspace, busy.getLocalPort()),
                    new RecordingBroker());
            RecordingOutput output = new RecordingOutput();

            main.extensionStart(new StartInput(Path.of("/x")), output);

            assertThat(output.reason)
                    .startsWith("the health endpoint cannot listen on 127.0.0.1:" + busy.getLocalPort())
                    .contains("set health.port (a free port, or 0 to turn the endpoint off)");
        }
    }

    /** The no-argument constructor HiveMQ uses reads conf/parley.properties from the extension folder. */
    @Test
    void hiveMqsConstructorReadsTheFileAndAFatalValuePreventsTheStart(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/parley.properties"), "cassandra.contact-points=cassandra-without-port\n");
        RecordingOutput output = new RecordingOutput();

        new ParleyExtensionMain(null, new RecordingBroker()).extensionStart(new StartInput(home), output);

        assertThat(output.reason)
                .startsWith("cassandra.contact-points 'cassandra-without-port' is not understood")
                .endsWith("write host:port[,host:port...], e.g. 127.0.0.1:9042");
    }

    @Test
    void hiveMqsConstructorStartsFromAValidFile(@TempDir Path home) throws Exception {
        int healthPort = Ports.free();
        Files.createDirectories(home.resolve("conf"));
        StringBuilder file = new StringBuilder();
        TestStack.properties(keyspace, healthPort).forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        Files.writeString(home.resolve("conf/parley.properties"), file);
        ParleyExtensionMain main = new ParleyExtensionMain(null, new RecordingBroker());
        RecordingOutput output = new RecordingOutput();

        main.extensionStart(new StartInput(home), output);
        try {
            assertThat(output.reason).isNull();
            assertThat(Http.get("http://127.0.0.1:" + healthPort + "/health/live").statusCode()).isEqualTo(200);
        } finally {
            main.extensionStop(new StopInput(), new ExtensionStopOutput() { });
        }
    }

    /** Without a token secret nothing may start: the reason says how to make one and who else needs it. */
    @Test
    void aMissingTokenSecretPreventsTheStart(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/parley.properties"), "cassandra.keyspace=" + keyspace + "\n");
        RecordingOutput output = new RecordingOutput();

        new ParleyExtensionMain(null, new RecordingBroker()).extensionStart(new StartInput(home), output);

        assertThat(output.reason)
                .startsWith("no access token secret: set auth.token-secret-file")
                .contains("openssl rand -base64 48")
                .contains("give persistence-service the same secret");
    }

    /** The security registry and client service of a broker that is not there. */
    static final class RecordingBroker implements BrokerServices {
        volatile AuthenticatorProvider authenticators;
        volatile AuthorizerProvider authorizers;
        volatile ClientInitializer initializer;

        @Override
        public InitializerRegistry initializerRegistry() {
            return new InitializerRegistry() {
                @Override
                public void setClientInitializer(ClientInitializer clientInitializer) {
                    initializer = clientInitializer;
                }
            };
        }

        @Override
        public PublishService publishService() {
            return (PublishService) Proxy.newProxyInstance(PublishService.class.getClassLoader(),
                    new Class<?>[] {PublishService.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException(method.getName() + " is not expected here");
                    });
        }

        @Override
        public Supplier<PublishBuilder> publishBuilder() {
            return () -> {
                throw new UnsupportedOperationException("no publishes expected here");
            };
        }

        @Override
        public SecurityRegistry securityRegistry() {
            return new SecurityRegistry() {
                @Override
                public void setAuthenticatorProvider(AuthenticatorProvider provider) {
                    authenticators = provider;
                }

                @Override
                public void setEnhancedAuthenticatorProvider(EnhancedAuthenticatorProvider provider) {
                    throw new UnsupportedOperationException("Parley uses simple authentication");
                }

                @Override
                public void setAuthorizerProvider(AuthorizerProvider provider) {
                    authorizers = provider;
                }
            };
        }

        @Override
        public ClientService clientService() {
            return (ClientService) Proxy.newProxyInstance(ClientService.class.getClassLoader(),
                    new Class<?>[] {ClientService.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException(method.getName() + " is not expected here");
                    });
        }

        @Override
        public GlobalInterceptorRegistry interceptorRegistry() {
            return new GlobalInterceptorRegistry() {
                @Override
                public void setConnectInboundInterceptorProvider(ConnectInboundInterceptorProvider provider) {
                }

                @Override
                public void setConnackOutboundInterceptorProvider(ConnackOutboundInterceptorProvider provider) {
                    throw new UnsupportedOperationException("Parley does not intercept CONNACKs");
                }
            };
        }

        @Override
        public SubscriptionStore subscriptionStore() {
            return (SubscriptionStore) Proxy.newProxyInstance(SubscriptionStore.class.getClassLoader(),
                    new Class<?>[] {SubscriptionStore.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException(method.getName() + " is not expected here");
                    });
        }
    }

    static final class RecordingOutput implements ExtensionStartOutput {
        String reason;

        @Override
        public void preventExtensionStartup(String reason) {
            this.reason = reason;
        }
    }

    record StartInput(Path home) implements ExtensionStartInput {
        @Override
        public ExtensionInformation getExtensionInformation() {
            return new Information(home);
        }

        @Override
        public ServerInformation getServerInformation() {
            throw new UnsupportedOperationException("not used by Parley");
        }

        @Override
        public Map<String, ExtensionInformation> getEnabledExtensions() {
            return Map.of();
        }

        @Override
        public Optional<String> getPreviousVersion() {
            return Optional.empty();
        }
    }

    static final class StopInput implements ExtensionStopInput {
        @Override
        public ExtensionInformation getExtensionInformation() {
            return new Information(Path.of("/x"));
        }

        @Override
        public ServerInformation getServerInformation() {
            throw new UnsupportedOperationException("not used by Parley");
        }

        @Override
        public Map<String, ExtensionInformation> getEnabledExtensions() {
            return Map.of();
        }
    }

    record Information(Path home) implements ExtensionInformation {
        @Override
        public String getId() {
            return "parley-extension";
        }

        @Override
        public String getVersion() {
            return "test";
        }

        @Override
        public String getName() {
            return "Parley";
        }

        @Override
        public Optional<String> getAuthor() {
            return Optional.empty();
        }

        @Override
        public File getExtensionHomeFolder() {
            return home.toFile();
        }
    }
}
