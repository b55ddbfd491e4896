package dev.parley.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ParleyException;

/** A problem+json answer ({@code type, title, status, detail}) as the typed error an app handles. */
final class Problems {

    private Problems() {
    }

    static ParleyException toException(int status, JsonNode problem) {
        String type = text(problem, "type");
        String detail = text(problem, "detail");
        if (detail == null) {
            detail = text(problem, "title");
        }
        if (detail == null) {
            detail = "HTTP " + status;
        }
        return switch (status) {
            case 401 -> new ParleyException.AuthenticationFailed(detail);
            case 403 -> new ParleyException.NotAuthorized(detail);
            case 404 -> new ParleyException.UnknownConversation(detail);
            case 503 -> new ParleyException.ServerUnavailable(detail);
            default -> new ParleyException.RequestRejected(status, type, detail);
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
