package dev.parley.broker;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.session.ClientService;

/**
 * The HiveMQ services the extension registers with at start. In HiveMQ they are {@link Services}' (only
 * reachable inside a running broker); a test that calls {@code extensionStart} without a broker passes
 * its own.
 */
interface BrokerServices {

    SecurityRegistry securityRegistry();

    ClientService clientService();

    BrokerServices HIVEMQ = new BrokerServices() {
        @Override
        public SecurityRegistry securityRegistry() {
            return Services.securityRegistry();
        }

        @Override
        public ClientService clientService() {
            return Services.clientService();
        }
    };
}
