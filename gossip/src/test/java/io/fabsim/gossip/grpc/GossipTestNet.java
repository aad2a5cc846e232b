package io.fabsim.gossip.grpc;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.time.Clock;
import io.fabsim.gossip.BlockVerifier;
import io.fabsim.gossip.Committer;
import io.fabsim.gossip.GossipConfig;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.GossipNode;
import io.fabsim.gossip.GossipTls;
import io.fabsim.gossip.MembershipSource;
import io.fabsim.gossip.PayloadBuffer;
import io.fabsim.gossip.TxIdIndex;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;

/**
 * An in-JVM org of gossip peers over real gRPC with mutual TLS on 127.0.0.1: each peer has an
 * in-memory ledger, a payload buffer, a committer, a gossip node and a transport on a free port.
 * Membership is the shared list of started peers' endpoints. Closing the net stops every peer.
 */
final class GossipTestNet implements AutoCloseable {

    static final String CH = "ch1";

    /** One peer of the net. */
    static final class Peer implements AutoCloseable {
        final String name;
        final InMemoryBlockStore store;
        final PayloadBuffer buffer;
        final Committer committer;
        final GossipNode gossip;
        final GrpcGossipTransport transport;
        final GossipMetrics metrics;
        final GossipMetrics.Channel channelMetrics;
        HostPort endpoint;

        Peer(String name, InMemoryBlockStore store, PayloadBuffer buffer, Committer committer, GossipNode gossip,
                GrpcGossipTransport transport, GossipMetrics metrics) {
            this.name = name;
            this.store = store;
            this.buffer = buffer;
            this.committer = committer;
            this.gossip = gossip;
            this.transport = transport;
            this.metrics = metrics;
            this.channelMetrics = metrics.channel(CH);
        }

        long height() {
            return store.height();
        }

        @Override
        public void close() {
            transport.close();
            gossip.close();
            committer.close();
            buffer.close();
        }

        @Override
        public String toString() {
            return name + "[height " + store.height() + ", buffered " + buffer.size() + ", peers "
                    + transport.peers().size() + "]";
        }
    }

    final GossipConfig config;
    final BlockVerifier verifier;
    final List<HostPort> membership = new CopyOnWriteArrayList<>();
    final List<Peer> peers = new CopyOnWriteArrayList<>();
    /** TLS roots every peer trusts besides its own org's (other orgs of the channel). */
    final List<X509Certificate> extraTlsRoots = new CopyOnWriteArrayList<>();

    GossipTestNet(String overrides, BlockVerifier verifier) {
        this.config = GossipConfig.from(ConfigLoader.fromString("""
                peer.gossip { fabsim.reconnectInterval = 200ms, publishStateInfoInterval = 500ms, dialTimeout = 5s
                  state { checkInterval = 300ms, responseTimeout = 3s } }
                """ + overrides));
        this.verifier = verifier;
    }

    /** Starts a peer of {@code node}'s org with {@code chain} already in its ledger; it joins the membership. */
    Peer start(TestPki.Node node, List<Block> chain, boolean mutualTls) throws Exception {
        return start(node, chain, mutualTls, TestPki.verifier(node.org()));
    }

    Peer start(TestPki.Node node, List<Block> chain, boolean mutualTls, IdentityVerifier orgVerifier) throws Exception {
        GossipMetrics metrics = GossipMetrics.unexported();
        InMemoryBlockStore store = new InMemoryBlockStore(CH, chain);
        PayloadBuffer buffer = new PayloadBuffer(CH, store.height(), config.state().blockBufferSize(),
                config.state().ordererWaitTimeout(), metrics.channel(CH), Clock.system());
        Committer committer = new Committer(new Committer.Setup(node.name(), store, buffer, verifier,
                TxIdIndex.inMemory(), Clock.system(), metrics.channel(CH)));
        MembershipSource members = () -> List.copyOf(membership);
        GrpcGossip gossip = GrpcGossip.start(new GrpcGossipTransport.Setup(node.name(), config, node.signer(),
                orgVerifier, Optional.of(tls(node, mutualTls)), members, metrics,
                GrpcGossipTransport.DEFAULT_MAX_MESSAGE_BYTES, Clock.system()), Optional.of(new HostPort("127.0.0.1", 0)));
        Peer peer = new Peer(node.name(), store, buffer, committer, gossip.node(), gossip.transport(), metrics);
        peers.add(peer);
        peer.endpoint = new HostPort("127.0.0.1", gossip.port());
        committer.start();
        gossip.node().joinChannel(committer);
        membership.add(peer.endpoint);
        return peer;
    }

    /** The node's TLS, trusting its org's TLS CA and the extra roots (a channel's peers trust every org's, as in Fabric). */
    private GossipTls tls(TestPki.Node node, boolean mutualTls) {
        List<X509Certificate> roots = new ArrayList<>(extraTlsRoots);
        roots.add(node.org().tlsCa().ca().certificate());
        return new GossipTls(node.tlsKeys().getPrivate(), List.of(node.tlsCert()), roots, mutualTls);
    }

    /** Stops a peer and removes it from the membership. */
    void stop(Peer peer) {
        membership.remove(peer.endpoint);
        peers.remove(peer);
        peer.close();
    }

    String describe() {
        return peers.toString();
    }

    @Override
    public void close() {
        List<Peer> all = new ArrayList<>(peers);
        peers.clear();
        all.forEach(Peer::close);
    }
}
