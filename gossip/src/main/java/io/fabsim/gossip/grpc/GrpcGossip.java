package io.fabsim.gossip.grpc;

import io.fabsim.common.config.HostPort;
import io.fabsim.gossip.GossipNode;
import java.io.IOException;
import io.fabsim.gossip.MembershipSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

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
        AtomicReference<GossipNode> nodeRef = new AtomicReference<>();
        GrpcGossipTransport transport = new GrpcGossipTransport(withAliveMembers(setup, nodeRef));
        GossipNode node = null;
        try {
            int port = listen.isPresent() ? transport.startServer(listen.get()) : -1;
            String internal = listen.isPresent() ? listen.get().host() + ":" + port : "";
            node = new GossipNode(new GossipNode.Setup(setup.peerName(), setup.config(), transport, setup.clock(),
                    setup.metrics(), new GossipNode.Self(setup.signer(), setup.orgVerifier(),
                            setup.config().externalEndpoint().map(HostPort::toString).orElse(""), internal)));
            nodeRef.set(node);
            node.start();
            transport.start(node);
            return new GrpcGossip(transport, node, port);
        } catch (IOException | RuntimeException e) {
            transport.close();
            if (node != null) {
                node.close();
            }
            throw e;
        }
    }

    /** {@code setup} whose membership also has the endpoints of the members the node learns from alive messages. */
    public static GrpcGossipTransport.Setup withAliveMembers(GrpcGossipTransport.Setup setup,
            AtomicReference<GossipNode> node) {
        MembershipSource alive = () -> node.get() == null ? List.of() : node.get().discovery().endpoints();
        return new GrpcGossipTransport.Setup(setup.peerName(), setup.config(), setup.signer(), setup.orgVerifier(),
                setup.tls(), MembershipSource.union(setup.membership(), alive), setup.metrics(), setup.maxMessageBytes(), setup.clock());
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
