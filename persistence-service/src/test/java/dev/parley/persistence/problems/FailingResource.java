package dev.parley.persistence.problems;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints that fail the way production code can: synchronously with a bug,
 * asynchronously with the driver's own timeout, and with bodies Jackson cannot bind. Hidden from the OpenAPI document, which the snapshot
 * test compares with the committed one.
 */
@Path(FailingResource.PATH)
public class FailingResource {

    static final String PATH = "/test-only/failures";
    static final String SECRET = "secret-internal-detail";

    @GET
    @Path("/unexpected")
    @Operation(hidden = true)
    public String unexpected() {
        throw new IllegalStateException(SECRET);
    }

    /** A body the way later endpoints will take them: a record bound by Jackson. */
    record Order(int count, List<Item> items) {
        record Item(String name, int quantity) {
        }
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Order echo(Order order) {
        return order;
    }

    @GET
    @Path("/store-timeout")
    @Operation(hidden = true)
    public CompletionStage<String> storeTimeout() {
        return CompletableFuture.supplyAsync(() -> {
            throw new DriverTimeoutException("Query timed out after PT5S");
        });
    }
}
