package dev.parley.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports of a local stack: fixed, well-known defaults for a developer, or all free ephemeral ports
 * ({@code --ports auto}) for tests that must not collide with a running dev stack.
 */
public record StackPorts(int mqtt, int websocket, int rest, int presence, int push, int brokerHealth,
                         int cassandra, int cassandraStorage, int redis) {

    public static StackPorts defaults() {
        return new StackPorts(1883, 8000, 8080, 8081, 8082, 8090, 9042, 7000, 6379);
    }

    public static StackPorts ephemeral() {
        return new StackPorts(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                Ports.free(), Ports.free(), Ports.free());
    }

    /** Launcher option → what listens there, for the "port in use" message. */
    Map<String, Integer> byOption() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--cassandra-port", cassandra);
        ports.put("--cassandra-storage-port", cassandraStorage);
        ports.put("--redis-port", redis);
        ports.put("--mqtt-port", mqtt);
        ports.put("--ws-port", websocket);
        ports.put("--rest-port", rest);
        ports.put("--presence-port", presence);
        ports.put("--push-port", push);
        ports.put("--broker-health-port", brokerHealth);
        return ports;
    }

    static String describe(String option) {
        return switch (option) {
            case "--cassandra-port" -> "Cassandra CQL";
            case "--cassandra-storage-port" -> "Cassandra storage";
            case "--redis-port" -> "Redis";
            case "--mqtt-port" -> "MQTT over TCP";
            case "--ws-port" -> "MQTT over WebSocket";
            case "--rest-port" -> "persistence-service REST";
            case "--presence-port" -> "presence-bridge";
            case "--push-port" -> "push-service";
            case "--broker-health-port" -> "broker extension health";
            default -> option;
        };
    }

    StackPorts with(String option, int port) {
        return new StackPorts(
                option.equals("--mqtt-port") ? port : mqtt,
                option.equals("--ws-port") ? port : websocket,
                option.equals("--rest-port") ? port : rest,
                option.equals("--presence-port") ? port : presence,
                option.equals("--push-port") ? port : push,
                option.equals("--broker-health-port") ? port : brokerHealth,
                option.equals("--cassandra-port") ? port : cassandra,
                option.equals("--cassandra-storage-port") ? port : cassandraStorage,
                option.equals("--redis-port") ? port : redis);
    }
}
