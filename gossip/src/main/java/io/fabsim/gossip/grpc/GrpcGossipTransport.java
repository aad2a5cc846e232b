package io.fabsim.gossip.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.log.Mdc;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.fabsim.gossip.GossipConfig;
import io.fabsim.gossip.GossipMessageHandler;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.GossipTls;
import io.fabsim.gossip.LeadershipHandler;
import io.fabsim.gossip.MembershipSource;
import io.fabsim.gossip.PeerIdentities;
import io.fabsim.gossip.PeerLinks;
import io.fabsim.gossip.RemotePeer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code gossip.Gossip} gRPC service and client: serves {@code GossipStream} and
 * {@code Ping}, dials every org peer membership names, authenticates each stream with the
 * ConnEstablish handshake (own org only, signature, TLS binding), and hands messages from
 * authenticated peers to a {@link GossipMessageHandler}. A peer of another org, a bad signature or
 * a TLS binding mismatch is refused with a WARN line and the stream is closed before anything is sent.
 *
 * <p>Use: construct, then either {@link #startServer(HostPort)} (own port) or add
 * {@link #serviceDefinition()} to the peer's gRPC server, then {@link #start(GossipMessageHandler)};
 * {@link #close()} ends everything.
 */
public final class GrpcGossipTransport implements PeerLinks, PeerIdentities, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrpcGossipTransport.class);

    /** Fabric's default gRPC message size limit (peer.maxRecvMsgSize): 100 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

    /**
     * What the transport needs. {@code orgVerifier} verifies identities of this peer's org (returns
     * the MSP id); {@code tls} empty means plaintext (tests, or TLS disabled as Fabric allows);
     * {@code clock} times re-dialing and handshakes (gRPC's keepalives run on real time).
     */
    public record Setup(String peerName, GossipConfig config, Signer signer, IdentityVerifier orgVerifier,
            Optional<GossipTls> tls, MembershipSource membership, GossipMetrics metrics, int maxMessageBytes,
            Clock clock) {
    }

    private final Setup setup;
    private final Handshake handshake;
    private final Scheduler scheduler;
    private final Map<ByteString, List<Connection>> connections = new LinkedHashMap<>();
    private final Map<HostPort, OutboundLink> links = new ConcurrentHashMap<>();
    private final GossipStreamService service;
    private volatile GossipMessageHandler handler;
    private volatile LeadershipHandler leadership;
    private volatile Server server;
    private volatile boolean closed;

    public GrpcGossipTransport(Setup setup) {
        this.setup = setup;
        this.handshake = new Handshake(setup.signer(), setup.orgVerifier(), setup.tls().map(t -> der(t)).orElse(null));
        this.scheduler = Mdc.with(Mdc.PEER, setup.peerName(),
                () -> setup.clock().newScheduler("gossip-transport-" + setup.peerName()));
        this.service = new GossipStreamService(this);
    }

    /** The Gossip service (with its TLS-session interceptor) to add to the peer's own gRPC server. */
    public ServerServiceDefinition serviceDefinition() {
        return ServerInterceptors.intercept(service, TlsSessions.serverInterceptor());
    }

    /** Starts a gRPC server of its own for the Gossip service; returns the bound port. */
    public int startServer(HostPort listen) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()))
                .addService(serviceDefinition()).maxInboundMessageSize(setup.maxMessageBytes())
                .permitKeepAliveTime(OutboundLink.KEEPALIVE_TIME.toMillis() / 2, TimeUnit.MILLISECONDS);
        if (setup.tls().isPresent()) {
            builder.sslContext(TlsSessions.serverContext(setup.tls().get()));
        }
        server = builder.build().start();
        log.info("gossip service of {} listening on {}:{} ({})", setup.peerName(), listen.host(), server.getPort(),
                setup.tls().isPresent() ? (setup.tls().get().clientAuthRequired() ? "mutual TLS" : "TLS") : "plaintext");
        return server.getPort();
    }

    /** Starts dialing the members and delivering messages to {@code messageHandler}. */
    public void start(GossipMessageHandler messageHandler) {
        this.handler = messageHandler;
        // connections that passed the handshake before there was a handler to tell
        for (RemotePeer peer : peers()) {
            messageHandler.connected(peer);
        }
        scheduler.scheduleWithFixedDelay(Duration.ZERO, setup.config().reconnectInterval(), this::maintainLinks);
    }

    /** Leadership messages go to {@code handler} (with their envelope), not to the gossip message handler. */
    public void onLeadership(LeadershipHandler handler) {
        this.leadership = handler;
    }

    /** This peer's name as its org peers see it (its certificate's common name). */
    public String localName() {
        return Handshake.nameOf(setup.signer().serializedIdentity(), handshake.localPkiId());
    }

    /** The identity of a peer connected now. */
    @Override
    public Optional<ByteString> identityOf(ByteString pkiId) {
        synchronized (connections) {
            List<Connection> list = connections.get(pkiId);
            return list == null || list.isEmpty() ? Optional.empty() : Optional.of(ByteString.copyFrom(list.get(0).identity()));
        }
    }

    @Override
    public ByteString localPkiId() {
        return handshake.localPkiId();
    }

    @Override
    public int maxMessageBytes() {
        return setup.maxMessageBytes();
    }

    @Override
    public Collection<RemotePeer> peers() {
        List<RemotePeer> peers = new ArrayList<>();
        synchronized (connections) {
            for (List<Connection> list : connections.values()) {
                Connection best = list.get(0);
                for (Connection c : list) {
                    if (c.outbound() && !c.closed()) {
                        best = c;
                    }
                }
                peers.add(best);
            }
        }
        return peers;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.close();
        links.values().forEach(OutboundLink::close);
        links.clear();
        List<Connection> all = new ArrayList<>();
        synchronized (connections) {
            connections.values().forEach(all::addAll);
            connections.clear();
        }
        all.forEach(c -> c.close(Status.UNAVAILABLE.withDescription("peer shutting down")));
        Server s = server;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS); // a bound on gRPC's own shutdown: real time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Setup setup() {
        return setup;
    }

    Handshake handshake() {
        return handshake;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Runs a gRPC callback with this peer's name in the MDC. */
    void inPeer(Runnable callback) {
        Mdc.run(Mdc.PEER, setup.peerName(), callback);
    }

    boolean isClosed() {
        return closed;
    }

    /** A connection passed the handshake. Returns false (and closes it) when it is a connection to ourselves. */
    boolean register(Connection connection) {
        if (connection.pkiId().equals(handshake.localPkiId())) {
            connection.close(Status.CANCELLED.withDescription("connection to self"));
            return false;
        }
        boolean first;
        synchronized (connections) {
            List<Connection> list = connections.computeIfAbsent(connection.pkiId(), k -> new ArrayList<>());
            first = list.isEmpty();
            list.add(connection);
        }
        log.info("gossip connection {} established ({})", connection, connection.remoteAddress());
        GossipMessageHandler h = handler;
        if (first && h != null) {
            h.connected(connection);
        }
        return true;
    }

    /** A connection ended; the handler hears of it when it was the last one to that peer. */
    void unregister(Connection connection) {
        connection.ended();
        if (!connection.authenticated()) {
            return;
        }
        boolean last = false;
        synchronized (connections) {
            List<Connection> list = connections.get(connection.pkiId());
            if (list != null && list.remove(connection) && list.isEmpty()) {
                connections.remove(connection.pkiId());
                last = true;
            }
        }
        if (last) {
            log.info("gossip connection {} closed", connection);
            GossipMessageHandler h = handler;
            if (h != null) {
                h.disconnected(connection);
            }
        }
    }

    /** A message after the handshake: garbage closes the stream, the rest goes to the handler. */
    void dispatch(Connection from, Envelope envelope) {
        GossipMessage message;
        try {
            message = GossipMessage.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            log.warn("gossip peer {} sent a message that is not a GossipMessage; closing the connection", from);
            from.close(Status.INVALID_ARGUMENT.withDescription("not a GossipMessage"));
            unregister(from);
            return;
        }
        if (message.hasLeadershipMsg()) {
            LeadershipHandler l = leadership;
            if (l != null) {
                l.received(from, envelope, message);
            }
            return;
        }
        GossipMessageHandler h = handler;
        if (h != null && !message.hasConn()) {
            h.received(from, envelope, message);
        }
    }

    private void maintainLinks() {
        try {
            Set<HostPort> wanted = new HashSet<>(setup.membership().endpoints());
            for (HostPort gone : new ArrayList<>(links.keySet())) {
                if (!wanted.contains(gone)) {
                    OutboundLink link = links.remove(gone);
                    log.info("gossip endpoint {} left the membership; disconnecting", gone);
                    link.close();
                }
            }
            for (HostPort endpoint : wanted) {
                links.computeIfAbsent(endpoint, e -> new OutboundLink(this, e)).dialIfIdle();
            }
        } catch (RuntimeException e) {
            log.error("gossip membership maintenance failed", e);
        }
    }

    private static byte[] der(GossipTls tls) {
        try {
            return tls.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new UncheckedIOException(new IOException("gossip TLS certificate cannot be encoded", e));
        }
    }
}
