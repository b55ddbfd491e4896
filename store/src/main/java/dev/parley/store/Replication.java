package dev.parley.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keyspace replication as written in configuration: {@code SimpleStrategy:1} for a dev node,
 * {@code NetworkTopologyStrategy:dc1=3,dc2=3} for operators.
 */
public record Replication(String strategy, Map<String, Integer> factors) {

    public Replication {
        factors = Map.copyOf(factors);
    }

    public static Replication parse(String text) {
        String[] parts = text.trim().split(":", 2);
        if (parts.length != 2) {
            throw invalid(text);
        }
        String strategy = parts[0].trim();
        try {
            if (strategy.equals("SimpleStrategy")) {
                return new Replication(strategy, Map.of("replication_factor", positive(parts[1].trim(), text)));
            }
            if (strategy.equals("NetworkTopologyStrategy")) {
                Map<String, Integer> factors = new LinkedHashMap<>();
                for (String dc : parts[1].split(",")) {
                    String[] kv = dc.split("=", 2);
                    if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z0-9_.-]+")) {
                        throw invalid(text);
                    }
                    factors.put(kv[0].trim(), positive(kv[1].trim(), text));
                }
                return new Replication(strategy, factors);
            }
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        throw invalid(text);
    }

    /** The CQL map literal for {@code CREATE KEYSPACE ... WITH replication = ...}. */
    public String toCql() {
        String entries = factors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "'" + e.getKey() + "': " + e.getValue())
                .collect(Collectors.joining(", "));
        return "{'class': '" + strategy + "', " + entries + "}";
    }

    /** As written in configuration ({@link #parse} reads it back). */
    public String toText() {
        if (strategy.equals("SimpleStrategy")) {
            return strategy + ":" + factors.get("replication_factor");
        }
        return strategy + ":" + factors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * Whether a keyspace's replication as Cassandra reports it ({@code system_schema.keyspaces.replication}: the
     * class fully qualified, every factor as text) is this one.
     */
    public boolean matches(Map<String, String> schema) {
        Map<String, String> others = new HashMap<>(schema);
        String className = others.remove("class");
        Map<String, String> expected = new HashMap<>();
        factors.forEach((key, factor) -> expected.put(key, Integer.toString(factor)));
        return className != null && className.substring(className.lastIndexOf('.') + 1).equals(strategy)
                && others.equals(expected);
    }

    private static int positive(String number, String whole) {
        int n = Integer.parseInt(number);
        if (n < 1) {
            throw invalid(whole);
        }
        return n;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("replication '" + text + "' is not understood: write "
                + "'SimpleStrategy:<factor>' (dev) or 'NetworkTopologyStrategy:<dc>=<factor>[,<dc>=<factor>]' (production)");
    }
}
