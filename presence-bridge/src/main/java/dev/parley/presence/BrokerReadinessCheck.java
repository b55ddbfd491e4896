package dev.parley.presence;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means the bridge is connected to the broker and subscribed to the devices' presence: before that,
 * reports queue in the broker and nobody's presence changes, so an orchestrator must not count this instance
 * as serving. Reads the link's state, asks the broker nothing (Paho's keep-alive already watches the
 * connection). With {@code parley.presence.enabled=false} the bridge does not use the broker at all: UP, and
 * the data says so.
 */
@Readiness
@ApplicationScoped
final class BrokerReadinessCheck implements HealthCheck {

    static final String NAME = "broker";

    private final PresenceConfig config;
    private final PresenceBridgeService service;

    BrokerReadinessCheck(PresenceConfig config, PresenceBridgeService service) {
        this.config = config;
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("uri", config.mqttUri())
                .withData("consuming", config.enabled());
        if (!config.enabled()) {
            return response.up().build();
        }
        return service.brokerProblem()
                .map(why -> response.down().withData("error", why))
                .orElseGet(response::up)
                .build();
    }
}
