package dev.parley.broker.health;

import java.util.List;
import java.util.stream.Collectors;

/** The readiness answer: UP when every check is. */
record HealthReport(List<Check> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public boolean up() {
        return checks.stream().allMatch(Check::up);
    }

    /**
     * @param detail why the check is down; null when up
     */
    record Check(String name, boolean up, String detail) {
        static Check up(String name) {
            return new Check(name, true, null);
        }

        static Check down(String name, String detail) {
            return new Check(name, false, detail);
        }
    }

    /** {@code {"status":"UP","checks":[{"name":"cassandra","status":"UP"},...]}}; DOWN checks carry a detail. */
    public String toJson() {
        return "{\"status\":" + status(up()) + ",\"checks\":[" + checks.stream().map(c -> "{\"name\":"
                + Json.string(c.name()) + ",\"status\":" + status(c.up())
                + (c.detail() == null ? "" : ",\"detail\":" + Json.string(c.detail())) + "}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static String status(boolean up) {
        return up ? "\"UP\"" : "\"DOWN\"";
    }
}
