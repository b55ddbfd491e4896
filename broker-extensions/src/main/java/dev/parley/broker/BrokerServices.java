package dev.parley.broker;

import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.interceptor.GlobalInterceptorRegistry;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import java.util.function.Supplier;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;

/**
 * The HiveMQ services the extension registers with at start. In HiveMQ they are {@link Services}' (only
 * reachable inside a running broker); a test that calls {@code extensionStart} without a broker passes
 * its own.
 */
interface BrokerServices {

    SecurityRegistry securityRegistry();

    ClientService clientService();

    InitializerRegistry initializerRegistry();

    PublishService publishService();

    SubscriptionStore subscriptionStore();

    GlobalInterceptorRegistry interceptorRegistry();

    /** A fresh builder per publish (HiveMQ's builders are not reusable). */
    Supplier<PublishBuilder> publishBuilder();

    BrokerServices HIVEMQ = new BrokerServices() {
        @Override
        public InitializerRegistry initializerRegistry() {
            return Services.initializerRegistry();
        }

        @Override
        public PublishService publishService() {
            return Services.publishService();
        }

        @Override
        public Supplier<PublishBuilder> publishBuilder() {
            return Builders::publish;
        }

        @Override
        public SecurityRegistry securityRegistry() {
            return Services.securityRegistry();
        }

        @Override
        public ClientService clientService() {
            return Services.clientService();
        }

        @Override
        public SubscriptionStore subscriptionStore() {
            return Services.subscriptionStore();
        }

        @Override
        public GlobalInterceptorRegistry interceptorRegistry() {
            return Services.interceptorRegistry();
        }
    };
}
