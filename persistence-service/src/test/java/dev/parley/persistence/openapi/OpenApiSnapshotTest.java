package dev.parley.persistence.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.persistence.testing.CassandraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the committed OpenAPI document (docs/openapi.yaml) equal to what the code serves, so an API
 * change is always visible in review as a change of that file. To accept a change, regenerate it:
 * {@code mvn -pl persistence-service verify -Dparley.openapi.write=true} and commit the file.
 */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class OpenApiSnapshotTest {

    private static final String UPDATE_HINT = "regenerate it with `mvn -pl persistence-service verify "
            + "-Dparley.openapi.write=true`, review the diff and commit it";

    @Test
    void servedDocumentEqualsTheCommittedOne() throws IOException {
        String snapshotProperty = System.getProperty("parley.openapi.snapshot");
        assertThat(snapshotProperty).as("system property parley.openapi.snapshot (set by the module's surefire "
                + "configuration)").isNotBlank();
        Path snapshot = Path.of(snapshotProperty);

        String served = normalise(given().when().get("/q/openapi?format=yaml")
                .then().statusCode(200).extract().asString());

        if (Boolean.getBoolean("parley.openapi.write")) {
            Files.createDirectories(snapshot.getParent());
            Files.writeString(snapshot, served, StandardCharsets.UTF_8);
            System.out.println("Wrote the served OpenAPI document to " + snapshot);
            return;
        }
        if (!Files.exists(snapshot)) {
            fail("There is no committed OpenAPI document at " + snapshot + ": " + UPDATE_HINT);
        }
        String committed = normalise(Files.readString(snapshot, StandardCharsets.UTF_8));
        if (!committed.equals(served)) {
            fail("The OpenAPI document served at /q/openapi differs from " + snapshot + "\n"
                    + firstDifference(committed, served) + "If the API change is intended, " + UPDATE_HINT);
        }
    }

    private static String normalise(String yaml) {
        return yaml.replace("\r\n", "\n").strip() + "\n";
    }

    private static String firstDifference(String committed, String served) {
        List<String> a = committed.lines().toList();
        List<String> b = served.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String left = i < a.size() ? a.get(i) : "<end of file>";
            String right = i < b.size() ? b.get(i) : "<end of document>";
            if (!left.equals(right)) {
                return "  first difference, line " + (i + 1) + ":\n  committed: " + left + "\n  served:    " + right + "\n";
            }
        }
        return "";
    }
}
