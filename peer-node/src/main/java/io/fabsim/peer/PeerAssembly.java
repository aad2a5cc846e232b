package io.fabsim.peer;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.grpc.ClientTls;
import io.fabsim.deliver.grpc.GrpcDialer;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.election.ElectionAlgorithm;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.FabricElectionConfig;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.ElectionMember;
import io.fabsim.election.LeaderElection;
import io.fabsim.election.fabric.FabricLeaderElection;
import io.fabsim.election.jgroups.JGroupsLeaderElection;
import io.fabsim.gossip.LeadershipGossip;
import io.fabsim.gossip.GossipConfig;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.discovery.Discovery;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import io.fabsim.ledger.file.FileLedgerManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production wiring of one peer (Fabric's {@code serve()} building its gossip service, deliver
 * service and ledger manager): file ledgers under {@code peer.fileSystemPath}, the deliver client
 * signing with the local MSP, in mode ELECTION the org's JGroups election or Fabric's election over
 * gossip ({@code peer.gossip.election.algorithm}), the channel factory.
 */
final class PeerAssembly implements PeerNode.Assembly {

    private static final Logger log = LoggerFactory.getLogger(PeerAssembly.class);

    /**
     * Every module's settings and the local signing identity, loaded and validated before the peer
     * opens any port or ledger.
     */
    record Settings(PeerConfig peer, LedgerConfig ledger, DeliverClientConfig deliver, GossipConfig gossip,
            Optional<ElectionConfig> election, Optional<FabricElectionConfig> fabricElection, LocalMsp msp) {

        static Settings load(ConfigReader reader, PeerConfig peer) {
            LedgerConfig ledger = LedgerConfig.from(reader);
            GossipConfig gossip = GossipConfig.from(reader);
            DeliverClientConfig deliver = DeliverClientConfig.from(reader);
            if (gossip.profile() == GossipConfig.Profile.FABRIC_EXACT && deliver.warmStandby()) {
                // the fabric-exact profile turns every fabsim-only behaviour off, this one included
                deliver = deliver.withWarmStandby(false);
            }
            boolean elect = peer.leaderMode() instanceof LeaderMode.Elected;
            boolean fabric = elect && ElectionAlgorithm.from(reader) == ElectionAlgorithm.FABRIC;
            Optional<ElectionConfig> election = elect && !fabric ? Optional.of(ElectionConfig.from(reader)) : Optional.empty();
            Optional<FabricElectionConfig> fabricElection = fabric ? Optional.of(FabricElectionConfig.from(reader))
                    : Optional.empty();
            LocalMsp msp;
            try {
                msp = LocalMsp.load(peer.localMspId(), peer.mspConfigPath());
            } catch (CryptoMaterialException e) {
                throw new ConfigException("peer.mspConfigPath", "expected the MSP folder of " + peer.localMspId()
                        + ", got " + peer.mspConfigPath() + ": " + e.getMessage(), e);
            }
            if (peer.tls().enabled()) {
                readable("peer.tls.cert.file", peer.tls().certFile());
                readable("peer.tls.key.file", peer.tls().keyFile());
                readable("peer.tls.rootcert.file", peer.tls().rootCertFile());
                for (Path file : peer.tls().clientRootCaFiles()) {
                    readable("peer.tls.clientRootCAs.files", file);
                }
            }
            return new Settings(peer, ledger, deliver, gossip, election, fabricElection, msp);
        }

        private static void readable(String key, Path file) {
            if (!Files.isReadable(file)) {
                throw new ConfigException(key, "expected a readable PEM file, got " + file + " (missing or unreadable)");
            }
        }

        Signer signer() {
            return msp.signingIdentity();
        }
    }

    private final LedgerManager ledgers;
    private final DeliveryService delivery;
    private final GossipParts gossip;
    private final Optional<LeaderElection> election;
    private final LedgerChannelFactory factory;
    private LocalMsp msp;

    private PeerAssembly(LedgerManager ledgers, DeliveryService delivery, GossipParts gossip,
            Optional<LeaderElection> election, LedgerChannelFactory factory) {
        this.ledgers = ledgers;
        this.delivery = delivery;
        this.gossip = gossip;
        this.election = election;
        this.factory = factory;
    }

    /** Builds every part; a part that fails closes the ones already built (ledger lock, ports, JGroups). */
    static PeerAssembly create(Settings settings, PeerNode.Services services) {
        PeerConfig peer = settings.peer();
        List<AutoCloseable> built = new ArrayList<>();
        try {
            LedgerManager ledgers = new FileLedgerManager(peer.fileSystemPath(), settings.ledger());
            built.add(ledgers);
            LiveChannels live = new LiveChannels();
            DeliveryService delivery = DeliveryService.builder()
                    .config(settings.deliver())
                    .clock(services.clock())
                    .dialer(dialer(peer, settings.deliver()))
                    .signer(settings.signer())
                    .blockSink(live)
                    .blockVerifiers(live)
                    .metrics(services.registry())
                    .staticLeader(peer.leaderMode() instanceof LeaderMode.Static)
                    .build();
            built.add(delivery);
            GossipMetrics metrics = new GossipMetrics(services.registry());
            AtomicReference<LeaderElection> electionRef = new AtomicReference<>();
            GossipParts gossip = GossipParts.start(settings, services, metrics,
                    () -> membership(settings, electionRef.get()));
            built.add(gossip);
            Optional<LeaderElection> election = settings.election().<LeaderElection>map(config ->
                    JGroupsLeaderElection.create(config, new ElectionIdentity(peer.localMspId(), peer.id(),
                            Map.of(GOSSIP_ENDPOINT, gossip.announced().toString())), services.clock()))
                    .or(() -> settings.fabricElection().map(config -> fabricElection(settings, services, gossip, config)));
            election.ifPresent(e -> {
                built.add(e);
                e.start();
                electionRef.set(e);
            });
            GossipConfig.StateConfig state = settings.gossip().state();
            ChannelContext ctx = new ChannelContext(peer.id(), peer.leaderMode(), delivery, election, gossip.node(),
                    settings.deliver().blockGossipEnabled(), services.clock(), metrics,
                    new ChannelContext.Buffers(state.blockBufferSize(), state.ordererWaitTimeout()));
            PeerAssembly assembly = new PeerAssembly(ledgers, delivery, gossip, election, new LedgerChannelFactory(ctx, live));
            assembly.msp = settings.msp();
            return assembly;
        } catch (LedgerException e) {
            closeAll(built);
            throw new IllegalStateException("peer " + peer.id() + ": cannot open the ledgers under "
                    + peer.fileSystemPath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(built);
            throw e;
        }
    }

    /**
     * Fabric's algorithm over this peer's gossip: signed leadership messages through the gossip
     * transport; the org's peers are those of {@code peer.gossip.bootstrap}.
     */
    private static LeaderElection fabricElection(Settings settings, PeerNode.Services services, GossipParts gossip,
            FabricElectionConfig config) {
        if (settings.gossip().bootstrap().isEmpty()) {
            log.warn("{} = fabric but peer.gossip.bootstrap is empty: this peer knows no org peer and elects "
                    + "itself", ElectionAlgorithm.KEY);
        }
        LeadershipGossip leadership = new LeadershipGossip(new LeadershipGossip.Setup(settings.signer(),
                MspVerifier.of(settings.msp().orgMsp()), gossip.transport(), gossip.transport(), services.clock(),
                new LeadershipGossip.Metrics(services.registry())));
        gossip.transport().onLeadership(leadership);
        return new FabricLeaderElection(config, gossip.transport().localName(), new GossipElectionTransport(leadership),
                services.clock());
    }

    private static void closeAll(List<AutoCloseable> built) {
        for (int i = built.size() - 1; i >= 0; i--) {
            try {
                built.get(i).close();
            } catch (Exception e) {
                log.warn("{} did not close cleanly: {}", built.get(i), e.getMessage());
            }
        }
    }

    /** The metadata key under which a peer announces its gossip endpoint to its org's election cluster. */
    static final String GOSSIP_ENDPOINT = "gossipEndpoint";

    /**
     * The org peers to gossip with: {@code peer.gossip.bootstrap} when set, else the gossip endpoints
     * the org's election members announce, else none.
     */
    private static List<HostPort> membership(Settings settings, LeaderElection election) {
        if (!settings.gossip().bootstrap().isEmpty() || election == null) {
            return settings.gossip().bootstrap();
        }
        List<HostPort> endpoints = new ArrayList<>();
        for (ElectionMember member : election.members()) {
            String endpoint = member.metadata().get(GOSSIP_ENDPOINT);
            if (endpoint != null) {
                try {
                    endpoints.add(HostPort.parse(endpoint));
                } catch (IllegalArgumentException e) {
                    log.warn("Election member {} announced a bad gossip endpoint \"{}\"", member.nodeName(), endpoint);
                }
            }
        }
        return endpoints;
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
    public List<Discovery.MemberView> membership() {
        return gossip.node().discovery().members();
    }

    @Override
    public Optional<PeerStatus.ElectionView> electionView() {
        return election.flatMap(e -> e.viewId().map(id -> new PeerStatus.ElectionView(id,
                e.members().stream().map(ElectionMember::nodeName).toList())));
    }

    @Override
    public ChannelFactory channelFactory() {
        return factory;
    }

    @Override
    public List<ChannelConfig> channelConfigs() {
        return factory.configs();
    }

    @Override
    public Optional<LocalMsp> localMsp() {
        return Optional.of(msp);
    }

    /** Stops every delivery stream, then gossip, then leaves the org's JGroups cluster. */
    @Override
    public void close() {
        delivery.stop();
        gossip.close();
        election.ifPresent(e -> {
            e.close();
            log.info("Left the election cluster of {}", e.nodeName());
        });
    }
}
