package dev.parley.presence.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder to the broker that can go silent: {@link #silence()} stops forwarding bytes in both
 * directions but keeps both sockets open, as when a phone dies or loses its network without a FIN. The
 * broker then learns of it only from the missing keep-alive. (devstack's TcpProxy cut closes the sockets,
 * which the broker sees at once.)
 */
public final class SilentProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean silent;

    private SilentProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    public static SilentProxy to(int port) {
        try {
            SilentProxy proxy = new SilentProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), port);
            Thread acceptor = new Thread(proxy::accept, "silent-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tcpUri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on nothing passes either way; the connections stay open. */
    public void silence() {
        silent = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(broker);
                pump(client, broker);
                pump(broker, client);
            } catch (IOException e) {
                // closed, or the broker refused: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // a side closed
            }
            if (!silent) {
                // Pass an ordinary close on; a silenced link must not tell the other side anything.
                try {
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "silent-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
