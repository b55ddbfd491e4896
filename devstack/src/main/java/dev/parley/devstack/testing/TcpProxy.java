package dev.parley.devstack.testing;

import dev.parley.devstack.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards a free local port to a real server, so a test can break the way to that server for its clients
 * without stopping the server other tests share, in two ways: {@link #cut()} closes the forwarded connections
 * (the client sees the connection end at once: a node gone dark, a refused network), {@link #dropSilently()}
 * stops forwarding without closing anything towards the client (a phone whose network vanished: no FIN, no
 * RST, so only a keep-alive finds out). Either way new connections are refused until {@link #restore()},
 * which forwards them again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    /** One forwarded connection. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private TcpProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    public static TcpProxy to(String host, int port) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy proxy = new TcpProxy(server, new InetSocketAddress(host, port));
            Thread acceptor = new Thread(proxy::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients connect instead of the target. */
    public Endpoint endpoint() {
        return new Endpoint(server.getInetAddress().getHostAddress(), server.getLocalPort());
    }

    /** Closes every forwarded connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        down = true;
        for (Link link : links) {
            link.close();
        }
        links.clear();
    }

    /**
     * Forwards nothing more on the current connections, in either direction, and closes nothing towards the
     * client: it finds out by its keep-alive. (When the broker gives up on its side first, only that side is
     * closed; when the client gives up, its socket closes and the link is gone.) New connections are refused
     * until {@link #restore()}.
     */
    public void dropSilently() {
        down = true;
        for (Link link : links) {
            link.silent = true;
        }
        links.clear();
    }

    /** Forwards new connections again. */
    public void restore() {
        down = false;
    }

    @Override
    public void close() {
        down = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            if (down) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client, upstream, true);
                pump(link, upstream, client, false);
            } catch (IOException e) {
                closeQuietly(client); // the target refused: the client sees a closed connection
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!link.silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    } // silent: read and dropped, as a dead network would
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                links.remove(link);
                if (link.silent && !fromClient) {
                    closeQuietly(from); // the broker gave up: the client must still hear nothing
                } else {
                    link.close();
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
