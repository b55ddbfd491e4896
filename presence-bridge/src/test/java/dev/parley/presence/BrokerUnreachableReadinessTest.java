package dev.parley.presence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.parley.presence.testing.BridgeTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the broker's port closed the service runs (Redis and Cassandra are fine) but is not ready, and the
 * broker check says which URI and why.
 */
@QuarkusTest
@WithTestResource(value = BridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "broker", value = BridgeTestResource.CLOSED_PORT))
@Timeout(60)
class BrokerUnreachableReadinessTest {

    @Test
    void readinessIsDownAndSaysWhichBrokerAndWhy() {
        // Until the first attempt is refused (milliseconds) the check says "connecting"; wait for the refusal.
        await("connect refused").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/q/health/ready").jsonPath()
                        .getString("checks.find { it.name == 'broker' }.data.error"), error -> error != null
                        && error.startsWith("cannot connect"));
        ValidatableResponse ready = given().when().get("/q/health/ready").then();
        ready.statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'broker' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'broker' }.data.uri", containsString("tcp://127.0.0.1:"))
                .body("checks.find { it.name == 'broker' }.data.error", containsString("cannot connect"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cassandra' }.status", equalTo("UP"));
    }

    @Test
    void livenessStaysUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
