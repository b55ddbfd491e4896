package dev.parley.persistence.problems;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.parley.persistence.testing.CassandraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Errors raised outside Parley's resources get the same problem shape. */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class ProblemResponsesTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void anUnknownPathIsANotFoundProblem() {
        given().when().get("/v1/no-such-thing")
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"))
                .body("detail", equalTo("There is no resource at GET /v1/no-such-thing"));
    }

    @Test
    void anUnsupportedMethodIsAMethodNotAllowedProblem() {
        given().when().delete("/v1/users/{id}", "3f0c2a56-8a4e-4c57-9e4f-6b1d2c3e4f50")
                .then().statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:method-not-allowed"))
                .body("status", equalTo(405));
    }

    @Test
    void aBodyValueOfTheWrongTypeIsAValidationProblemNamingTheField() {
        given().contentType("application/json")
                .body("{\"count\": 1, \"items\": [{\"name\": \"tea\", \"quantity\": \"lots\"}]}")
                .when().post(FailingResource.PATH + "/echo")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("items[0].quantity"))
                .body(not(containsString("jackson")));
    }

    @Test
    void anUnknownBodyFieldIsAValidationProblemNamingIt() {
        given().contentType("application/json")
                .body("{\"count\": 1, \"items\": [{\"name\": \"tea\", \"quantity\": 2, \"sugar\": true}]}")
                .when().post(FailingResource.PATH + "/echo")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("items[0].sugar"))
                .body("errors[0].message", equalTo("is not a field of this request"));
    }

    @Test
    void aBodyThatIsNotJsonIsAMalformedBodyProblem() {
        given().contentType("application/json")
                .body("{\"count\": 1,\n oops")
                .when().post(FailingResource.PATH + "/echo")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:malformed-body"))
                .body("detail", equalTo("The request body is not valid JSON (line 2, column 2)"));
    }

    @Test
    void aWellFormedBodyPassesThrough() {
        given().contentType("application/json")
                .body("{\"count\": 1, \"items\": [{\"name\": \"tea\", \"quantity\": 2}]}")
                .when().post(FailingResource.PATH + "/echo")
                .then().statusCode(200)
                .body("items[0].quantity", equalTo(2));
    }

    @Test
    void anUnexpectedErrorIsA500ThatRevealsNothingOfTheServer() {
        given().when().get(FailingResource.PATH + "/unexpected")
                .then().statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("$", aMapWithSize(4))
                .body("type", equalTo("urn:parley:problem:unexpected-error"))
                .body("title", equalTo("Unexpected error"))
                .body("status", equalTo(500))
                .body("detail", containsString("quote reference"))
                .body(not(containsString(FailingResource.SECRET)))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("dev.parley")));
    }

    @Test
    void aCassandraTimeoutIsARetryableStoreUnavailableProblem() {
        given().when().get(FailingResource.PATH + "/store-timeout")
                .then().statusCode(503)
                .contentType(PROBLEM_JSON)
                .header("Retry-After", "5")
                .body("type", equalTo("urn:parley:problem:store-unavailable"))
                .body("status", equalTo(503))
                .body(not(containsString("PT5S")));
    }
}
