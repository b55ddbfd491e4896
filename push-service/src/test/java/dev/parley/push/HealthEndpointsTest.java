package dev.parley.push;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.parley.push.testing.PushServiceTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = PushServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class HealthEndpointsTest {

    @Test
    void readinessIsUpAndNamesTheRedisAndCassandraChecks() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("redis"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.name", hasItem("cassandra"))
                .body("checks.find { it.name == 'cassandra' }.status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void metricsArePrometheusText() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("parley_push_dead_letters_total"))
                .body(containsString("parley_push_notifications_total"));
    }
}
