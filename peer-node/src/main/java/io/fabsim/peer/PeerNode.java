package io.fabsim.peer;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.FabricKeys;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.log.Mdc;
import io.fabsim.common.operations.OperationsServer;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.peer.grpc.EndorserService;
import io.fabsim.peer.grpc.PeerDeliverService;
import io.fabsim.peer.grpc.PeerGrpcServer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import io.fabsim.gossip.discovery.Discovery;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A running peer: the composition root of seed 000's {@code serve()} -> {@code Peer.Initialize} ->
 * {@code createChannel} -> {@code GossipService.InitializeChannel}. Start-up checks the leader flags
 * before anything is opened, binds the gRPC server, opens every ledger and initializes its channel
 * (a broken one is logged and skipped), starts the operations server, and logs
 * {@code Peer <id> is ready, channels: [...]}. {@link #close()} stops it in reverse order: admin API,
 * gRPC (client streams), channels (delivery, committers), ledgers, then gossip and election.
 */
public final class PeerNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerNode.class);

    /** Environment variable prefixes the peer reads: Fabric's {@code CORE}, and {@code FABSIM} for every process. */
    public static final List<String> ENV_PREFIXES = List.of("CORE", "FABSIM");

    /** The keys of Fabric's sample {@code core.yaml}: ignored with a warning, not refused. */
    public static final FabricKeys CORE_YAML = FabricKeys.fromResource(PeerNode.class, "fabric-core-yaml.keys",
            "core.yaml", "CORE");

    private final PeerConfig config;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private PeerGrpcServer grpc;
    private Channels channels;
    private volatile Assembly assembly;
    private OperationsServer operations;

    private PeerNode(PeerConfig config) {
        this.config = config;
    }

    /** What {@link Assembly} gets to build the per-module components with. */
    record Services(PeerConfig config, Clock clock, PrometheusRegistry registry, PeerGrpcServer grpc) {
    }

    /**
     * The modules wired for one peer: the ledger manager and the channel factory (committer,
     * deliver client, election, gossip behind it). {@link #close()} leaves JGroups, stops gossip.
     */
    interface Assembly extends AutoCloseable {

        LedgerManager ledgers();

        ChannelFactory channelFactory();

        /** The peer's local MSP, for the Endorser service (absent: the service is not offered). */
        default Optional<LocalMsp> localMsp() {
            return Optional.empty();
        }

        /** The current config of every running channel (its orgs' TLS CAs for client authentication). */
        default List<ChannelConfig> channelConfigs() {
            return List.of();
        }

        /** The election's view (id and members), for {@code /status}; empty without one. */
        default Optional<PeerStatus.ElectionView> electionView() {
            return Optional.empty();
        }

        /** Gossip's membership (alive messages), for {@code /status}. */
        default List<Discovery.MemberView> membership() {
            return List.of();
        }

        @Override
        void close();
    }

    /**
     * Loads the peer's configuration as {@code fabsim peer node start} does: the reference defaults,
     * the file (fabsim's HOCON, or Fabric's {@code core.yaml}), then {@code CORE_*} and
     * {@code FABSIM_*} variables; Fabric's keys that fabsim does not model are set aside for the
     * start-up warning, any other unknown key is a {@link ConfigException}.
     */
    public static ConfigReader loadConfig(Optional<Path> file, Map<String, String> env) {
        return ConfigLoader.load(file, env, ENV_PREFIXES, CORE_YAML);
    }

    /**
     * Loads and validates the configuration ({@link ConfigException} naming the key), refuses both
     * leader flags ({@link PeerStartRefusedException}), loads the local MSP, then starts the peer.
     * Nothing is bound or opened before these checks pass.
     */
    public static PeerNode start(ConfigReader reader, Clock clock) {
        PeerConfig config;
        try {
            config = PeerConfig.from(reader);
            MDC.put("peer", config.id());
            reader.warnings().forEach(log::warn);
            MDC.remove("peer");
        } catch (PeerStartRefusedException e) {
            log.error(e.getMessage());
            throw e;
        }
        PeerAssembly.Settings settings = PeerAssembly.Settings.load(reader, config);
        return start(config, clock, services -> PeerAssembly.create(settings, services));
    }

    static PeerNode start(PeerConfig config, Clock clock, Function<Services, Assembly> assemble) {
        MDC.put("peer", config.id());
        PeerNode node = new PeerNode(config);
        try {
            node.startParts(clock, assemble);
            return node;
        } catch (RuntimeException | LedgerException e) {
            node.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("peer " + config.id() + ": cannot list the ledgers under "
                    + config.fileSystemPath() + ": " + e.getMessage(), e);
        } finally {
            MDC.remove("peer");
        }
    }

    private void startParts(Clock clock, Function<Services, Assembly> assemble) throws LedgerException {
        PrometheusRegistry registry = new PrometheusRegistry();
        ClientTlsRoots clientRoots = new ClientTlsRoots(config.tls(), () -> {
            Assembly parts = assembly;
            return parts == null ? List.of() : parts.channelConfigs();
        });
        grpc = PeerGrpcServer.start(config.listenAddress(), config.tls(), clientRoots);
        Assembly assembly = assemble.apply(new Services(config, clock, registry, grpc));
        toClose.add(assembly);
        this.assembly = assembly;
        channels = new Channels(assembly.ledgers(), assembly.channelFactory());
        channels.openAll();
        startDeliverService(clock, registry);
        assembly.localMsp().ifPresent(msp -> {
            Endorser endorser = new Endorser(channels, msp.orgMsp(), msp.signingIdentity());
            grpc.addService(new EndorserService(proposal -> {
                try {
                    return endorser.process(proposal);
                } catch (Endorser.ProposalException e) {
                    throw new EndorserService.RefusedException(e.getMessage());
                }
            }));
        });
        PeerMetrics.register(registry, this::status);
        operations = OperationsServer.start(config.operationsListenAddress(), config.operationsTls(), registry, clock);
        operations.setStatus(this::status);
        AdminApi admin = new AdminApi(channels);
        operations.addHandler(AdminApi.PATH, admin::handle);
        log.info("Peer {} is ready, channels: {}", config.id(), channelIds());
    }

    private void startDeliverService(Clock clock, PrometheusRegistry registry) {
        ExecutorService workers = Executors.newCachedThreadPool(Mdc.daemonThreads("peer-deliver"));
        toClose.add(workers::shutdownNow);
        DeliverHandler handler = new DeliverHandler(channels,
                new DeliverHandler.Settings(DeliverHandler.Settings.DEFAULT_TIME_WINDOW, config.tls().clientAuthRequired()),
                clock, new DeliverMetrics(registry));
        grpc.addService(new PeerDeliverService(handler, workers).definition());
    }

    public String id() {
        return config.id();
    }

    public PeerConfig config() {
        return config;
    }

    /** The port the gRPC server bound (Deliver, gossip). */
    public int grpcPort() {
        return grpc.port();
    }

    /** The address the operations server bound. */
    public HostPort operationsAddress() {
        return operations.address();
    }

    /** The joined channels' ids, sorted. */
    public List<String> channelIds() {
        return channels.list().stream().map(PeerChannel::channelId).toList();
    }

    /** Height and hashes of a joined channel's ledger. */
    public Optional<ChainInfo> chainInfo(String channelId) {
        return channels.get(channelId).map(c -> c.store().info());
    }

    /** A joined channel (tests reach its parts). */
    Optional<PeerChannel> channel(String channelId) {
        return channels.get(channelId);
    }

    /** Joins a channel from its genesis block without a restart. */
    public void join(Block genesis) throws ChannelJoinException {
        channels.join(genesis);
    }

    /** What {@code GET /status} serves. */
    public PeerStatus status() {
        List<PeerStatus.ChannelStatus> list = channels == null ? List.of()
                : channels.list().stream().map(PeerChannel::status).toList();
        Assembly parts = assembly;
        return new PeerStatus(config.id(), config.localMspId(), "peer", list,
                parts == null ? List.of() : parts.membership(),
                parts == null ? null : parts.electionView().orElse(null));
    }

    @Override
    public synchronized void close() {
        MDC.put("peer", config.id());
        try {
            if (operations != null) {
                operations.close();
                operations = null;
            }
            if (grpc != null) {
                grpc.close();
            }
            if (channels != null) {
                channels.close();
            }
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("Peer {}: {} did not close cleanly: {}", config.id(), c, e.getMessage(), e);
                }
            }
            toClose.clear();
            log.info("Peer {} stopped", config.id());
        } finally {
            MDC.remove("peer");
        }
    }
}
