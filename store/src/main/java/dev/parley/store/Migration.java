package dev.parley.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One versioned schema step: a CQL file of idempotent statements ({@code IF NOT EXISTS}), so a
 * migration interrupted half way is simply run again. {@code {keyspace}} in the file stands for
 * the configured keyspace.
 */
record Migration(int version, String description, List<String> statements) {

    Migration {
        statements = List.copyOf(statements);
    }

    static Migration fromResource(int version, String description, String resource) {
        try (InputStream in = Migration.class.getResourceAsStream("migrations/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration file " + resource + " is missing from the store jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Migration(version, description, split(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> statementsFor(String keyspace) {
        return statements.stream().map(s -> s.replace("{keyspace}", keyspace)).toList();
    }

    /** Statements end with a semicolon at the end of a line; lines starting with -- are comments. */
    static List<String> split(String text) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        return Arrays.stream(withoutComments.toString().split(";\\s*\n"))
                .map(String::strip)
                .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
