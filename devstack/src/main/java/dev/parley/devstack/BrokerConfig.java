package dev.parley.devstack;

/**
 * HiveMQ's config.xml for a Parley node on this machine: MQTT over TCP and over WebSocket
 * ({@code /mqtt}) on loopback, Parley's packet limit, no usage statistics. docker/broker/config.xml is
 * the operators' version of the same.
 */
public final class BrokerConfig {

    /** A chat message of 1000 code points is at most ~12 KB of JSON; anything larger is refused. */
    public static final int MAX_PACKET_SIZE = 16_384;

    private BrokerConfig() {
    }

    /**
     * @param inMemory keep sessions and queues in memory only (tests), or on disk in the data folder
     *                 (the dev stack, so a restart keeps persistent sessions)
     */
    public static String xml(String host, int mqttPort, int websocketPort, boolean inMemory) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                    <websocket-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
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
                    <mode>%s</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(mqttPort, host, websocketPort, host, MAX_PACKET_SIZE, inMemory ? "in-memory" : "file");
    }
}
