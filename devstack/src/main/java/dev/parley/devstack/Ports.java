package dev.parley.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks that turn "address already in use" deep in a child's log into a clear message. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago, for tests and {@code --ports auto}. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param what   what would listen there, e.g. "Cassandra CQL"
     * @param option the launcher option that moves it, e.g. "--cassandra-port"
     */
    public static void requireFree(String host, int port, String what, String option) {
        if (!isFree(host, port)) {
            throw new DevStackException("port " + port + " (" + what + ") is already in use on " + host
                    + ": stop what holds it (`ss -ltnp 'sport = :" + port + "'` shows it) or choose another port with "
                    + option + " N");
        }
    }

    public static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
