package io.fabsim.peer;

import io.fabsim.common.config.HostPort;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.tls.TlsMaterial;
import io.fabsim.gossip.GossipConfig;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.GossipNode;
import io.fabsim.gossip.GossipTls;
import io.fabsim.gossip.MembershipSource;
import io.fabsim.gossip.grpc.GrpcGossip;
import io.fabsim.gossip.grpc.GrpcGossipTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The peer's gossip: the gRPC transport (on the peer's own gRPC server, or on a server of its own
 * when {@code peer.gossip.endpoint} names another address), authenticated as this peer's org, and
 * the gossip node that pushes blocks and transfers state.
 *
 * @param announced the gossip endpoint org peers dial ({@code externalEndpoint}, else the bound one)
 */
record GossipParts(GrpcGossipTransport transport, GossipNode node, HostPort announced) implements AutoCloseable {

    static GossipParts start(PeerAssembly.Settings settings, PeerNode.Services services, GossipMetrics metrics,
            MembershipSource membership) {
        PeerConfig peer = settings.peer();
        GossipConfig config = settings.gossip();
        AtomicReference<GossipNode> nodeRef = new AtomicReference<>();
        MspVerifier orgVerifier = MspVerifier.of(settings.msp().orgMsp());
        GrpcGossipTransport transport = new GrpcGossipTransport(GrpcGossip.withAliveMembers(
                new GrpcGossipTransport.Setup(peer.id(), config, settings.signer(), orgVerifier, tls(peer), membership,
                        metrics, GrpcGossipTransport.DEFAULT_MAX_MESSAGE_BYTES, services.clock()), nodeRef));
        HostPort bound;
        if (config.endpoint().isPresent() && !config.endpoint().get().equals(peer.listenAddress())) {
            HostPort endpoint = config.endpoint().get();
            try {
                bound = new HostPort(endpoint.host(), transport.startServer(endpoint));
            } catch (IOException e) {
                transport.close();
                throw new UncheckedIOException("peer.gossip.endpoint: cannot listen on " + endpoint + ": " + e.getMessage(), e);
            }
        } else {
            services.grpc().addService(transport.serviceDefinition());
            bound = new HostPort(peer.listenAddress().host(), services.grpc().port());
        }
        HostPort announced = config.externalEndpoint().orElse(bound);
        GossipNode node = new GossipNode(new GossipNode.Setup(peer.id(), config, transport, services.clock(), metrics,
                new GossipNode.Self(settings.signer(), orgVerifier,
                        config.externalEndpoint().map(HostPort::toString).orElse(""), announced.toString())));
        nodeRef.set(node);
        node.start();
        transport.start(node);
        return new GossipParts(transport, node, announced);
    }

    /** The peer's TLS material for gossip (server and client), when {@code peer.tls.enabled}. */
    private static Optional<GossipTls> tls(PeerConfig peer) {
        if (!peer.tls().enabled()) {
            return Optional.empty();
        }
        List<Path> roots = new ArrayList<>(List.of(peer.tls().rootCertFile()));
        roots.addAll(peer.tls().clientRootCaFiles());
        TlsMaterial material = TlsMaterial.fromFiles(peer.tls().certFile(), peer.tls().keyFile(), roots);
        return Optional.of(GossipTls.from(material, peer.tls().clientAuthRequired()));
    }

    @Override
    public void close() {
        node.close();
        transport.close();
    }
}
