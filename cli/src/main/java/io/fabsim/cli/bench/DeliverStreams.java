package io.fabsim.cli.bench;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import io.fabsim.common.tls.TlsContexts;
import io.fabsim.common.tls.TlsMaterial;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliver streams from orderers ({@code orderer.AtomicBroadcast/Deliver}) and peers
 * ({@code protos.Deliver/Deliver}, blocks right after the peer commits them) over mutual TLS, as
 * {@code User1} of the first org, each recording block arrivals into one {@link Arrivals}.
 */
final class DeliverStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliverStreams.class);

    private volatile boolean closing;

    private static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

    private final SigningIdentity signer;
    private final TlsMaterial tls;
    private final SslContext ssl;
    private final Clock clock;
    private final Arrivals arrivals;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private DeliverStreams(SigningIdentity signer, TlsMaterial tls, SslContext ssl, Clock clock, Arrivals arrivals) {
        this.signer = signer;
        this.tls = tls;
        this.ssl = ssl;
        this.clock = clock;
        this.arrivals = arrivals;
    }

    /** User1 of {@code org} from the network's {@code crypto/} folder, trusting the orderer's and the org's TLS CAs. */
    static DeliverStreams open(Path dir, NetworkSpec spec, NetworkSpec.Org org, Clock clock, Arrivals arrivals) {
        Path crypto = dir.resolve("crypto");
        Path orgDir = crypto.resolve("peerOrganizations").resolve(org.domain());
        Path user = orgDir.resolve("users").resolve("User1@" + org.domain());
        SigningIdentity signer = LocalMsp.loadSigningIdentity(org.mspId(), user.resolve("msp"));
        TlsMaterial tls = TlsMaterial.fromFolder(user.resolve("tls"));
        String ordererDomain = spec.ordererOrg().domain();
        List<Path> roots = List.of(
                crypto.resolve("ordererOrganizations").resolve(ordererDomain).resolve("tlsca")
                        .resolve("tlsca." + ordererDomain + "-cert.pem"),
                orgDir.resolve("tlsca").resolve("tlsca." + org.domain() + "-cert.pem"));
        SslContext ssl = TlsContexts.client(TlsMaterial.readRoots(roots), Optional.of(tls));
        return new DeliverStreams(signer, tls, ssl, clock, arrivals);
    }

    /** Streams every block of {@code channel} from the orderer at {@code address}, from the newest on. */
    void fromOrderer(String node, String address, String channel) {
        AtomicBroadcastGrpc.newStub(dial(address))
                .deliver(blocksTo(node, r -> r.hasBlock() ? r.getBlock() : null))
                .onNext(seek(channel));
    }

    /** Streams every block of {@code channel} the peer at {@code address} commits, from its newest on. */
    void fromPeer(String node, String address, String channel) {
        DeliverGrpc.newStub(dial(address))
                .deliver(blocksTo(node, r -> r.hasBlock() ? r.getBlock() : null))
                .onNext(seek(channel));
    }

    /**
     * Records each block a Deliver stream of {@code node} brings. A stream that ends is logged: its
     * node then shows as missing blocks in the results rather than failing silently.
     */
    private <R> StreamObserver<R> blocksTo(String node, java.util.function.Function<R, Block> blockOf) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                Block block = blockOf.apply(response);
                if (block != null) {
                    arrived(node, block);
                }
            }

            @Override
            public void onError(Throwable t) {
                if (!closing) {
                    log.warn("bench: Deliver stream of {} ended: {}", node, t.getMessage());
                }
            }

            @Override
            public void onCompleted() {
                if (!closing) {
                    log.warn("bench: Deliver stream of {} completed (a status ended it)", node);
                }
            }
        };
    }

    private void arrived(String node, Block block) {
        arrivals.record(node, block.getHeader().getNumber(), clock.nanoTime());
    }

    private Envelope seek(String channel) {
        return SeekInfos.seekEnvelope(channel, SeekInfos.seekInfo(SeekInfos.newest(),
                SeekInfos.specified(SeekInfos.MAX_BLOCK), SeekBehavior.BLOCK_UNTIL_READY), signer, clock, tls.certHash());
    }

    private synchronized ManagedChannel dial(String address) {
        int colon = address.lastIndexOf(':');
        ManagedChannel channel = TlsContexts.channelBuilder(address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1)), ssl)
                .directExecutor().maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
        channels.add(channel);
        return channel;
    }

    @Override
    public synchronized void close() {
        closing = true;
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
