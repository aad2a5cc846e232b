package io.fabsim.gossip.grpc;

import io.fabsim.common.config.HostPort;
import io.fabsim.gossip.GossipNode;
import java.io.IOException;
import java.util.Optional;

/**
 * The gossip service of one peer assembled in the right order (Fabric's {@code NewGossipService}):
 * the gRPC transport, the {@link GossipNode} on top of it, the transport's own server when
 * {@code listen} is given, then dialing. Channels join with {@code node().joinChannel(committer)}.
 * When {@code listen} is empty, add {@link GrpcGossipTransport#serviceDefinition()} of
 * {@link #transport()} to the peer's gRPC server yourself (before starting that server).
 */
public final class GrpcGossip implements AutoCloseable {

    private final GrpcGossipTransport transport;
    private final GossipNode node;
    private final int port;

    private GrpcGossip(GrpcGossipTransport transport, GossipNode node, int port) {
        this.transport = transport;
        this.node = node;
        this.port = port;
    }

    /** Builds and starts the transport and node; on failure everything started is closed again. */
    public static GrpcGossip start(GrpcGossipTransport.Setup setup, Optional<HostPort> listen) throws IOException {
        GrpcGossipTransport transport = new GrpcGossipTransport(setup);
        GossipNode node = new GossipNode(new GossipNode.Setup(setup.peerName(), setup.config(), transport,
                setup.clock(), setup.metrics()));
        try {
            int port = listen.isPresent() ? transport.startServer(listen.get()) : -1;
            node.start();
            transport.start(node);
            return new GrpcGossip(transport, node, port);
        } catch (IOException | RuntimeException e) {
            transport.close();
            node.close();
            throw e;
        }
    }

    public GossipNode node() {
        return node;
    }

    public GrpcGossipTransport transport() {
        return transport;
    }

    /** The port of the transport's own server, or -1 when it serves on the peer's server. */
    public int port() {
        return port;
    }

    /** Stops dialing and serving, closes every connection, stops state transfer. */
    @Override
    public void close() {
        transport.close();
        node.close();
    }
}
