package dev.parley.broker.testing;

import dev.parley.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of a test broker: {@code conf/} (config.xml with a TCP and a WebSocket listener on free
 * ports, in-memory persistence, Parley's maximum packet size, and a quiet logback.xml), {@code data/},
 * {@code extensions/}, and {@code log/parley.log}, where Parley's and HiveMQ's extension lines are also
 * written.
 */
public record BrokerHome(Path root, int mqttPort, int websocketPort) {

    /**
     * The largest MQTT packet the broker accepts, as in the dev stack's and operators' config.xml: a chat
     * message of 1000 code points is at most ~12 KB of JSON (each code point JSON-escaped as a surrogate pair,
     * 12 bytes) plus its envelope.
     */
    public static final int MAX_PACKET_SIZE = 16_384;

    public static BrokerHome create(Path root) {
        BrokerHome home = new BrokerHome(root, Ports.free(), Ports.free());
        try {
            Files.createDirectories(home.conf());
            Files.createDirectories(home.data());
            Files.createDirectories(home.extensions());
            Files.createDirectories(home.logFile().getParent());
            Files.writeString(home.conf().resolve("config.xml"), home.configXml());
            Files.writeString(home.conf().resolve("logback.xml"), home.logbackXml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    public Path conf() {
        return root.resolve("conf");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path extensions() {
        return root.resolve("extensions");
    }

    public Path logFile() {
        return root.resolve("log").resolve("parley.log");
    }

    public String tcpUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    public String websocketUri() {
        return "ws://127.0.0.1:" + websocketPort + "/mqtt";
    }

    private String configXml() {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                        <websocket-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                            <path>/mqtt</path>
                            <subprotocols>
                                <subprotocol>mqttv3.1</subprotocol>
                                <subprotocol>mqtt</subprotocol>
                            </subprotocols>
                            <allow-extensions>true</allow-extensions>
                        </websocket-listener>
                    </listeners>
                    <mqtt>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(mqttPort, websocketPort, MAX_PACKET_SIZE);
    }

    private String logbackXml() {
        return """
                <configuration>
                    <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                    </appender>
                    <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%-5level %%logger - %%msg%%n</pattern></encoder>
                    </appender>
                    <logger name="dev.parley" level="INFO" additivity="false">
                        <appender-ref ref="CONSOLE"/>
                        <appender-ref ref="FILE"/>
                    </logger>
                    <logger name="com.hivemq.extensions" level="INFO" additivity="false">
                        <appender-ref ref="FILE"/>
                    </logger>
                    <root level="WARN">
                        <appender-ref ref="CONSOLE"/>
                    </root>
                </configuration>
                """.formatted(logFile().toAbsolutePath());
    }
}
