package dev.parley.persistence.problems;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents on every operation the two problems any endpoint can answer with (and on those with a body,
 * the 413 of an oversized one), so that no resource has to repeat them and none can forget them.
 * Registered with {@code mp.openapi.filter}.
 */
public final class CommonProblemResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null) {
            addIfAbsent(responses, "500", "Unexpected error; the detail holds a reference to quote when reporting it");
            addIfAbsent(responses, "503", "The store could not confirm the operation in time; retry after Retry-After seconds");
            if (operation.getRequestBody() != null) {
                addIfAbsent(responses, "413", "The request body is larger than " + BodySizeLimit.DEFAULT_MAX_BYTES
                        + " bytes, the default of parley.http.max-body-bytes (payload-too-large)");
            }
        }
        return operation;
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem));
    }
}
