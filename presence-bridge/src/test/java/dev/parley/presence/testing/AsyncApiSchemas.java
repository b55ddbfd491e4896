package dev.parley.presence.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** The schemas of docs/asyncapi.yaml (as broker-extensions' AsyncApiContract reads them), for real payloads. */
public final class AsyncApiSchemas {

    private static final Path DOCUMENT = Path.of(System.getProperty("parley.asyncapi", "../docs/asyncapi.yaml"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode schemas;

    private AsyncApiSchemas(JsonNode schemas) {
        this.schemas = schemas;
    }

    public static AsyncApiSchemas load() {
        try {
            JsonNode document = YAML.readTree(Files.readString(DOCUMENT));
            String text = YAML.writeValueAsString(document.at("/components/schemas"))
                    .replace("#/components/schemas/", "#/$defs/");
            return new AsyncApiSchemas(YAML.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT.toAbsolutePath(), e);
        }
    }

    /** The problems of {@code payload} against schema {@code name}; empty when it conforms. */
    public Set<String> violations(String name, JsonNode payload) {
        if (!schemas.has(name)) {
            throw new IllegalArgumentException("docs/asyncapi.yaml has no schema " + name);
        }
        ObjectNode root = YAML.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", schemas);
        root.put("$ref", "#/$defs/" + name);
        Set<ValidationMessage> messages = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(root).validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
