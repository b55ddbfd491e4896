package dev.parley.presence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.parley.presence.testing.BridgeTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness turns UP once the bridge is connected to a real broker and subscribed. */
@QuarkusTest
@WithTestResource(value = BridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "broker", value = BridgeTestResource.RUNNING))
@Timeout(180)
class BrokerReadinessTest {

    @Test
    void readinessIsUpOnceConnectedAndSubscribed() {
        await("bridge ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'broker' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'broker' }.data.uri", startsWith("tcp://127.0.0.1:"))
                .body("checks.find { it.name == 'broker' }.data.consuming", equalTo(true))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cassandra' }.status", equalTo("UP"));
    }
}
