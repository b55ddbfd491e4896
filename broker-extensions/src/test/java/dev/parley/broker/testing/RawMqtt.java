package dev.parley.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Just enough MQTT, written by hand, to see what Paho hides or refuses to send: the reason string of a
 * refused CONNACK (Paho 1.2.5 throws with the code only), a PUBLISH larger than the server's maximum
 * packet size (Paho refuses it locally), an MQTT 3.1.1 CONNECT, and a connection that drops before it
 * reads a PUBACK and then resends the PUBLISH with DUP set (Paho keeps that to itself). One connection
 * per instance.
 */
public final class RawMqtt implements AutoCloseable {

    /** A will: topic, payload, retain flag (QoS 1). */
    public record Will(String topic, String payload, boolean retain) {
    }

    /** A CONNACK or DISCONNECT: its reason code and reason string (null if none was sent). */
    public record Reply(int reasonCode, String reasonString) {
    }

    /** What {@link #next()} returns: a PUBLISH or a PUBACK from the server. */
    public sealed interface Incoming permits Publish, Puback {
    }

    /** A PUBLISH from the server: its topic, packet id (0 at QoS 0), DUP flag and payload. */
    public record Publish(String topic, int packetId, boolean dup, byte[] payload) implements Incoming {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A PUBACK: the packet id it acknowledges, its reason code and reason string (null if none was sent). */
    public record Puback(int packetId, int reasonCode, String reasonString) implements Incoming {
    }

    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBACK = 9;
    private static final int DISCONNECT = 14;
    private static final int REASON_STRING = 0x1F;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawMqtt open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return new RawMqtt(socket);
    }

    private boolean sessionPresent;

    /** An MQTT 5 CONNECT (clean start); returns the CONNACK. Null user name or password: not sent. */
    public Reply connect5(String clientId, String userName, String password, Will will) throws IOException {
        writePacket(0x10, connect(5, clientId, userName, password, will, true, 0));
        return readReply(CONNACK);
    }

    /**
     * An MQTT 5 CONNECT with clean start false and a session expiry: a device that wants the broker to
     * keep its session (subscriptions, queued messages) across a drop. See {@link #sessionPresent()}.
     */
    public Reply connect5Persistent(String clientId, String userName, String password, int sessionExpirySeconds)
            throws IOException {
        writePacket(0x10, connect(5, clientId, userName, password, null, false, sessionExpirySeconds));
        return readReply(CONNACK);
    }

    /** The CONNACK's session present flag: the broker still held this client id's session. */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    /** One QoS 1 subscription; returns the SUBACK's reason code (other packets before it are skipped). */
    public int subscribe5(int packetId, String topicFilter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.write(0); // no properties
        string(body, topicFilter);
        body.write(1); // QoS 1
        writePacket(0x82, body.toByteArray());
        while (true) {
            int first = in.readUnsignedByte();
            byte[] reply = new byte[readVarInt()];
            in.readFully(reply);
            if (first >> 4 == SUBACK) {
                ByteBuffer buffer = ByteBuffer.wrap(reply);
                buffer.getShort();
                skipProperties(buffer);
                return buffer.get() & 0xFF;
            }
        }
    }

    /** An MQTT 5 PUBLISH at QoS 1 with this packet id, DUP set for a resend; does not wait for the PUBACK. */
    public void publishQos1(String topic, byte[] payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.write(0); // no properties
        body.writeBytes(payload);
        writePacket(0x32 | (dup ? 0x08 : 0), body.toByteArray());
    }

    /** Acknowledges a QoS 1 PUBLISH from the server (Success). */
    public void puback(int packetId) throws IOException {
        writePacket(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /**
     * The next PUBLISH or PUBACK from the server (anything else is skipped); fails on a DISCONNECT or
     * when nothing comes within the socket timeout.
     */
    public Incoming next() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            byte[] body = new byte[readVarInt()];
            in.readFully(body);
            ByteBuffer buffer = ByteBuffer.wrap(body);
            switch (first >> 4) {
                case PUBLISH -> {
                    int qos = (first >> 1) & 0x03;
                    String topic = readString(buffer);
                    int packetId = qos > 0 ? buffer.getShort() & 0xFFFF : 0;
                    skipProperties(buffer);
                    byte[] payload = new byte[buffer.remaining()];
                    buffer.get(payload);
                    return new Publish(topic, packetId, (first & 0x08) != 0, payload);
                }
                case PUBACK -> {
                    int packetId = buffer.getShort() & 0xFFFF;
                    int code = buffer.hasRemaining() ? buffer.get() & 0xFF : 0;
                    return new Puback(packetId, code, buffer.hasRemaining() ? reasonString(buffer) : null);
                }
                case DISCONNECT -> throw new IOException("the server disconnected: 0x"
                        + Integer.toHexString(body.length == 0 ? 0 : body[0] & 0xFF));
                default -> {
                    // PINGRESP and the like: not what a test waits for
                }
            }
        }
    }

    /** An MQTT 3.1.1 CONNECT; returns the CONNACK return code (MQTT 3 has no reason string). */
    public int connect311(String clientId, String userName, String password) throws IOException {
        writePacket(0x10, connect(4, clientId, userName, password, null, true, 0));
        int type = in.readUnsignedByte() >> 4;
        byte[] body = new byte[readVarInt()];
        in.readFully(body);
        if (type != CONNACK || body.length != 2) {
            throw new IOException("expected an MQTT 3 CONNACK, got packet type " + type);
        }
        return body[1] & 0xFF;
    }

    /** An MQTT 5 PUBLISH at QoS 0 (no acknowledgement to wait for). */
    public void publish5(String topic, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(0); // no properties
        body.writeBytes(payload);
        writePacket(0x30, body.toByteArray());
    }

    /** Waits for the server's DISCONNECT. */
    public Reply awaitDisconnect() throws IOException {
        return readReply(DISCONNECT);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] connect(int level, String clientId, String userName, String password, Will will,
                                  boolean cleanStart, int sessionExpirySeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(level);
        int flags = cleanStart ? 0x02 : 0;
        if (will != null) {
            flags |= 0x04 | 0x08 | (will.retain() ? 0x20 : 0); // will, QoS 1, retain
        }
        if (password != null) {
            flags |= 0x40;
        }
        if (userName != null) {
            flags |= 0x80;
        }
        body.write(flags);
        body.write(0);
        body.write(30); // keep alive
        if (level == 5 && sessionExpirySeconds > 0) {
            body.write(5); // properties: session expiry interval (0x11, four bytes)
            body.write(0x11);
            body.write(sessionExpirySeconds >>> 24);
            body.write(sessionExpirySeconds >>> 16 & 0xFF);
            body.write(sessionExpirySeconds >>> 8 & 0xFF);
            body.write(sessionExpirySeconds & 0xFF);
        } else if (level == 5) {
            body.write(0); // no properties
        }
        string(body, clientId);
        if (will != null) {
            if (level == 5) {
                body.write(0); // no will properties
            }
            string(body, will.topic());
            string(body, will.payload());
        }
        if (userName != null) {
            string(body, userName);
        }
        if (password != null) {
            string(body, password);
        }
        return body.toByteArray();
    }

    private Reply readReply(int expectedType) throws IOException {
        int first;
        try {
            first = in.readUnsignedByte();
        } catch (EOFException e) {
            throw new IOException("the server closed the connection without a reply", e);
        }
        int type = first >> 4;
        byte[] body = new byte[readVarInt()];
        in.readFully(body);
        if (type != expectedType) {
            throw new IOException("expected packet type " + expectedType + ", got " + type);
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        if (type == CONNACK) {
            sessionPresent = (buffer.get() & 0x01) != 0; // acknowledge flags
        }
        if (!buffer.hasRemaining()) {
            return new Reply(0, null); // DISCONNECT with no reason code: normal disconnection
        }
        int reasonCode = buffer.get() & 0xFF;
        return new Reply(reasonCode, buffer.hasRemaining() ? reasonString(buffer) : null);
    }

    /** The reason string among the properties; the others are skipped by their MQTT 5 type. */
    private static String reasonString(ByteBuffer buffer) throws IOException {
        int end = varInt(buffer) + buffer.position();
        String reason = null;
        while (buffer.position() < end) {
            int id = varInt(buffer);
            switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> buffer.get();
                case 0x13, 0x21, 0x22, 0x23 -> buffer.getShort();
                case 0x02, 0x11, 0x18, 0x27 -> buffer.getInt();
                case 0x0B -> varInt(buffer);
                case 0x09, 0x16 -> buffer.position(buffer.position() + (buffer.getShort() & 0xFFFF));
                case 0x26 -> {
                    readString(buffer);
                    readString(buffer);
                }
                case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, REASON_STRING -> {
                    String value = readString(buffer);
                    if (id == REASON_STRING) {
                        reason = value;
                    }
                }
                default -> throw new IOException("unknown MQTT 5 property 0x" + Integer.toHexString(id));
            }
        }
        return reason;
    }

    private static void skipProperties(ByteBuffer buffer) throws IOException {
        int length = varInt(buffer);
        buffer.position(buffer.position() + length);
    }

    private static String readString(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private int readVarInt() throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }

    private static int varInt(ByteBuffer buffer) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = buffer.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed variable byte integer");
    }

    private void writePacket(int firstByte, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(firstByte);
        int length = body.length;
        do {
            int b = length & 0x7F;
            length >>>= 7;
            packet.write(length > 0 ? b | 0x80 : b);
        } while (length > 0);
        packet.writeBytes(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
