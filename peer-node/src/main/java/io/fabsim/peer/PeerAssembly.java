package io.fabsim.peer;

import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.grpc.ClientTls;
import io.fabsim.deliver.grpc.GrpcDialer;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.LeaderElection;
import io.fabsim.election.jgroups.JGroupsLeaderElection;
import io.fabsim.gossip.GossipConfig;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import io.fabsim.ledger.file.FileLedgerManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production wiring of one peer (Fabric's {@code serve()} building its gossip service, deliver
 * service and ledger manager): file ledgers under {@code peer.fileSystemPath}, the deliver client
 * signing with the local MSP, the org's JGroups election in mode ELECTION, the channel factory.
 */
final class PeerAssembly implements PeerNode.Assembly {

    private static final Logger log = LoggerFactory.getLogger(PeerAssembly.class);

    /**
     * Every module's settings and the local signing identity, loaded and validated before the peer
     * opens any port or ledger.
     */
    record Settings(PeerConfig peer, LedgerConfig ledger, DeliverClientConfig deliver, GossipConfig gossip,
            Optional<ElectionConfig> election, Signer signer) {

        static Settings load(ConfigReader reader, PeerConfig peer) {
            LedgerConfig ledger = LedgerConfig.from(reader);
            DeliverClientConfig deliver = DeliverClientConfig.from(reader);
            GossipConfig gossip = GossipConfig.from(reader);
            Optional<ElectionConfig> election = peer.leaderMode() == LeaderMode.ELECTION
                    ? Optional.of(ElectionConfig.from(reader)) : Optional.empty();
            Signer signer = LocalMsp.loadSigningIdentity(peer.localMspId(), peer.mspConfigPath());
            return new Settings(peer, ledger, deliver, gossip, election, signer);
        }
    }

    private final LedgerManager ledgers;
    private final DeliveryService delivery;
    private final Optional<LeaderElection> election;
    private final LedgerChannelFactory factory;

    private PeerAssembly(LedgerManager ledgers, DeliveryService delivery, Optional<LeaderElection> election,
            LedgerChannelFactory factory) {
        this.ledgers = ledgers;
        this.delivery = delivery;
        this.election = election;
        this.factory = factory;
    }

    static PeerAssembly create(Settings settings, PeerNode.Services services) {
        PeerConfig peer = settings.peer();
        LedgerManager ledgers;
        try {
            ledgers = new FileLedgerManager(peer.fileSystemPath(), settings.ledger());
        } catch (LedgerException e) {
            throw new IllegalStateException("peer " + peer.id() + ": cannot open the ledgers under "
                    + peer.fileSystemPath() + ": " + e.getMessage(), e);
        }
        LiveChannels live = new LiveChannels();
        DeliveryService delivery = DeliveryService.builder()
                .config(settings.deliver())
                .clock(services.clock())
                .dialer(dialer(peer, settings.deliver()))
                .signer(settings.signer())
                .payloadSink(live)
                .blockVerifiers(live)
                .metrics(services.registry())
                .staticLeader(peer.leaderMode() == LeaderMode.STATIC)
                .build();
        Optional<LeaderElection> election = settings.election().map(config -> {
            String endpoint = peer.listenAddress().host() + ":" + services.grpc().port();
            LeaderElection e = JGroupsLeaderElection.create(config,
                    new ElectionIdentity(peer.localMspId(), peer.id(), Map.of("gossipEndpoint", endpoint)), services.clock());
            e.start();
            return e;
        });
        GossipConfig.StateConfig state = settings.gossip().state();
        ChannelContext ctx = new ChannelContext(peer.id(), peer.leaderMode(), delivery, election, services.clock(),
                new GossipMetrics(services.registry()), state.blockBufferSize(), state.ordererWaitTimeout());
        return new PeerAssembly(ledgers, delivery, election, new LedgerChannelFactory(ctx, live));
    }

    /** TLS to the orderers when the peer uses TLS, presenting the peer's TLS certificate (mutual TLS). */
    private static GrpcDialer dialer(PeerConfig peer, DeliverClientConfig config) {
        if (!peer.tls().enabled()) {
            return GrpcDialer.plaintext(config);
        }
        ClientTls client = new ClientTls(Pem.readPrivateKey(peer.tls().keyFile()),
                List.of(Pem.readCertificate(peer.tls().certFile())));
        return GrpcDialer.tls(Optional.of(client), config);
    }

    @Override
    public LedgerManager ledgers() {
        return ledgers;
    }

    @Override
    public ChannelFactory channelFactory() {
        return factory;
    }

    /** Stops every delivery stream, then leaves the org's JGroups cluster. */
    @Override
    public void close() {
        delivery.stop();
        election.ifPresent(e -> {
            e.close();
            log.info("Left the election cluster of {}", e.nodeName());
        });
    }
}
