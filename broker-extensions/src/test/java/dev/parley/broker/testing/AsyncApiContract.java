package dev.parley.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The schemas of docs/asyncapi.yaml, so that tests check real payloads against the published
 * document: a payload the broker sends that the document does not describe fails the test.
 */
public final class AsyncApiContract {

    public static final Path DOCUMENT = Path.of(System.getProperty("parley.asyncapi", "../docs/asyncapi.yaml"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode schemas;
    private final List<String> addresses;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private AsyncApiContract(JsonNode schemas, List<String> addresses) {
        this.schemas = schemas;
        this.addresses = List.copyOf(addresses);
    }

    public static AsyncApiContract load() {
        try {
            JsonNode document = YAML.readTree(Files.readString(DOCUMENT));
            // AsyncAPI refers to #/components/schemas/X; as a standalone JSON Schema they live in $defs.
            String text = YAML.writeValueAsString(document.at("/components/schemas"))
                    .replace("#/components/schemas/", "#/$defs/");
            List<String> addresses = new ArrayList<>();
            document.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
            return new AsyncApiContract(YAML.readTree(text), addresses);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT.toAbsolutePath(), e);
        }
    }

    /** Every channel's address, with its parameters: {@code users/{userId}/messages}, ... */
    public List<String> channelAddresses() {
        return addresses;
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
        JsonSchema schema = factory.getSchema(root);
        Set<ValidationMessage> messages = schema.validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
