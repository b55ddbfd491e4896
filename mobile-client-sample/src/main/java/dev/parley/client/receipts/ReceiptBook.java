package dev.parley.client.receipts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The receipt watermarks of every conversation (what the other side got and read of my messages), kept
 * in one small JSON file so ticks still show after a restart. Rewritten whole on each change: it holds
 * two numbers per conversation.
 *
 * <p>Thread-safe.
 */
public final class ReceiptBook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Watermarks> marks = new HashMap<>();

    private ReceiptBook(Path file) {
        this.file = file;
    }

    public static ReceiptBook open(Path file) {
        ReceiptBook book = new ReceiptBook(file);
        book.load();
        return book;
    }

    /** Merges a receipt in; returns the watermarks now held (unchanged if the receipt was old news). */
    public synchronized Watermarks merge(String conversationId, Watermarks received) {
        Watermarks before = marks.getOrDefault(conversationId, Watermarks.NONE);
        Watermarks after = before.merge(received);
        if (!after.equals(before)) {
            marks.put(conversationId, after);
            save();
        }
        return after;
    }

    public synchronized Watermarks of(String conversationId) {
        return marks.getOrDefault(conversationId, Watermarks.NONE);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields = json.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                marks.put(field.getKey(), new Watermarks(field.getValue().path("delivered").asLong(),
                        field.getValue().path("read").asLong()));
            }
        } catch (IOException | ClassCastException e) {
            // a damaged file only costs ticks until the next receipts arrive: start empty
        }
    }

    private void save() {
        ObjectNode json = JSON.createObjectNode();
        marks.forEach((conversation, mark) -> json.putObject(conversation)
                .put("delivered", mark.deliveredUpTo()).put("read", mark.readUpTo()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path fresh = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(fresh, json.toString(), StandardCharsets.UTF_8);
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the receipts " + file, e);
        }
    }
}
