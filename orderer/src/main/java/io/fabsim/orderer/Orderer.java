package io.fabsim.orderer;

import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.grpc.GrpcServers;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.log.Mdc;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.operations.OperationsServer;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.chain.BroadcastHandler;
import io.fabsim.orderer.chain.Chains;
import io.fabsim.orderer.chain.FollowerChain;
import io.fabsim.orderer.chain.LoadSource;
import io.fabsim.orderer.grpc.AtomicBroadcastService;
import io.fabsim.orderer.grpc.GrpcBlockSource;
import io.grpc.Server;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A running orderer: the composition root of the module. {@link #start} loads the MSP, opens every
 * ledger under {@code FileLedger.Location} and orders (or, for followed channels, replicates) each
 * channel, serves {@code orderer.AtomicBroadcast} over gRPC (TLS, mutual TLS when configured), the
 * operations endpoint and the admin API, and runs the load source when enabled. {@link #close()}
 * stops everything; the CLI calls it from a shutdown hook.
 */
public final class Orderer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Orderer.class);

    private final OrdererConfig config;
    private final List<AutoCloseable> resources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SigningIdentity signer;
    private Chains chains;
    private Server server;
    private OperationsServer operations;
    private OperationsServer adminServer;

    private Orderer(OrdererConfig config) {
        this.config = config;
    }

    public static Orderer start(OrdererConfig config) throws OrdererException {
        return start(config, Clock.system());
    }

    /** Starts an orderer whose Deliver time window, block timers and signatures use {@code clock}. */
    public static Orderer start(OrdererConfig config, Clock clock) throws OrdererException {
        Orderer orderer = new Orderer(config);
        MDC.put("peer", config.nodeName());
        try {
            orderer.startComponents(clock);
            return orderer;
        } catch (Exception e) {
            orderer.close();
            throw new OrdererException("orderer " + config.nodeName() + " failed to start: " + e.getMessage(), e);
        } finally {
            MDC.remove("peer");
        }
    }

    private void startComponents(Clock clock) throws Exception {
        signer = LocalMsp.loadSigningIdentity(config.localMspId(), config.localMspDir());
        FileLedgerManager ledgers = new FileLedgerManager(config.ledgerLocation(), config.ledger());
        resources.add(ledgers);
        chains = new Chains(ledgers, signer, clock);
        resources.add(0, chains);
        List<String> followed = startFollowers(ledgers.ledgerIds(), clock);
        chains.startAll(followed);
        PrometheusRegistry registry = new PrometheusRegistry();
        DeliverHandler deliver = new DeliverHandler(chains, new DeliverHandler.Settings(config.timeWindow(),
                config.tls().clientAuthRequired()), clock, new DeliverMetrics(registry));
        BroadcastHandler broadcast = new BroadcastHandler(chains, signer, clock);
        ExecutorService workers = Executors.newCachedThreadPool(Mdc.daemonThreads("deliver"));
        resources.add(workers::shutdownNow);
        server = GrpcServers.start(new InetSocketAddress(config.listen().host(), config.listen().port()), serverTls(),
                new AtomicBroadcastService(new DeliverService(deliver, workers), broadcast));
        resources.add(0, () -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
        Optional<LoadSource> load = Optional.empty();
        if (config.load().enabled()) {
            load = Optional.of(new LoadSource(broadcast, chains, signer, clock, new LoadSource.Settings(
                    config.load().rate(), config.load().txSize(), config.load().channels(), endorsing())).start());
            resources.add(0, load.get());
        }
        startOperations(registry, clock, load);
        log.info("Orderer {} ({}) serving orderer.AtomicBroadcast on {} (TLS {}, mutual TLS {}), channels {}",
                config.nodeName(), config.localMspId(), address(), config.tls().enabled(),
                config.tls().clientAuthRequired(), chains.all().keySet());
    }

    /** With {@code orderer.load.kind = endorser}: each org's client and endorsing peer, loaded from their MSP folders. */
    private Optional<LoadSource.Endorsing> endorsing() {
        if (config.load().kind() != OrdererConfig.LoadKind.ENDORSER) {
            return Optional.empty();
        }
        Map<String, LoadSource.OrgSigners> orgs = new TreeMap<>();
        config.load().signers().forEach((mspId, s) -> orgs.put(mspId, new LoadSource.OrgSigners(
                LocalMsp.loadSigningIdentity(mspId, s.client()), LocalMsp.loadSigningIdentity(mspId, s.endorser()))));
        return Optional.of(new LoadSource.Endorsing(orgs, config.load().chaincode()));
    }

    private Optional<ServerTls> serverTls() {
        OrdererConfig.Tls tls = config.tls();
        if (!tls.enabled()) {
            return Optional.empty();
        }
        List<java.nio.file.Path> clientRoots = new ArrayList<>(tls.clientRootCAs());
        clientRoots.addAll(tls.rootCAs());
        return Optional.of(new ServerTls(tls.certificate(), tls.privateKey(), tls.clientAuthRequired(), clientRoots));
    }

    private List<String> startFollowers(List<String> ledgerIds, Clock clock) throws Exception {
        OrdererConfig.Follower follower = config.follower();
        if (follower.source().isEmpty()) {
            return List.of();
        }
        GrpcBlockSource.ClientTls tls = null;
        if (follower.tls()) {
            OrdererConfig.Tls own = config.tls();
            tls = own.enabled()
                    ? new GrpcBlockSource.ClientTls(own.rootCAs(), Pem.readCertificate(own.certificate()),
                            Pem.readPrivateKey(own.privateKey()))
                    : new GrpcBlockSource.ClientTls(own.rootCAs(), null, null);
        }
        GrpcBlockSource source = new GrpcBlockSource(follower.source().get(), tls, signer, clock);
        resources.add(source);
        List<String> channels = follower.channels().isEmpty() ? ledgerIds : follower.channels();
        for (String channelId : channels) {
            resources.add(0, FollowerChain.follow(channelId, chains, source, clock, follower.retryInterval()));
        }
        chains.followJoinedChannels(channelId -> {
            try {
                FollowerChain joined = FollowerChain.follow(channelId, chains, source, clock, follower.retryInterval());
                resources.add(0, joined);
                return joined;
            } catch (Exception e) {
                throw new IllegalStateException("cannot follow channel " + channelId + ": " + e.getMessage(), e);
            }
        });
        log.info("Following channels {} from {}; joined channels are followed too", channels, follower.source().get());
        return channels;
    }

    private void startOperations(PrometheusRegistry registry, Clock clock, Optional<LoadSource> load) {
        operations = OperationsServer.start(config.operationsListen(), config.operationsTls(), registry, clock);
        resources.add(0, operations);
        operations.setStatus(this::status);
        operations.registerChecker("chains", this::health);
        OrdererAdminApi admin = new OrdererAdminApi(chains, load);
        OperationsServer adminTarget = operations;
        if (config.adminListen().isPresent()) {
            adminServer = OperationsServer.start(config.adminListen().get(), config.adminTls(), new PrometheusRegistry(),
                    clock);
            resources.add(0, adminServer);
            adminTarget = adminServer;
        }
        adminTarget.addHandler(OrdererAdminApi.PARTICIPATION, admin::participation);
        adminTarget.addHandler(OrdererAdminApi.FAULTS, admin::faults);
        adminTarget.addHandler(OrdererAdminApi.LOAD, admin::load);
    }

    private Optional<String> health() {
        List<String> errored = new ArrayList<>();
        chains.all().forEach((id, chain) -> {
            if (chain.errorSignal().isErrored()) {
                errored.add(id + ": " + chain.errorSignal().reason());
            }
        });
        return errored.isEmpty() ? Optional.empty() : Optional.of("errored channels: " + errored);
    }

    /** The {@code /status} document: node, mspId, role, and per channel its height and current block hash. */
    public Map<String, Object> status() {
        List<Map<String, Object>> channels = new ArrayList<>();
        for (Map.Entry<String, DeliverChain> entry : chains.all().entrySet()) {
            if (entry.getValue().blocks() == null) {
                continue;
            }
            var info = entry.getValue().blocks().info();
            Map<String, Object> channel = new LinkedHashMap<>();
            channel.put("channel", entry.getKey());
            channel.put("height", info.height());
            channel.put("currentBlockHash", HexFormat.of().formatHex(info.currentBlockHash()));
            channels.add(channel);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", config.nodeName());
        status.put("mspId", config.localMspId());
        status.put("role", "orderer");
        status.put("channels", channels);
        return status;
    }

    /** The gRPC address actually bound. */
    public HostPort address() {
        return new HostPort(config.listen().host(), server.getPort());
    }

    public HostPort operationsAddress() {
        return operations.address();
    }

    /** The admin API's address: the admin listener if configured, else the operations listener. */
    public HostPort adminAddress() {
        return adminServer != null ? adminServer.address() : operations.address();
    }

    public Chains chains() {
        return chains;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping orderer {}: {}", config.nodeName(), e.getMessage());
            }
        }
        resources.clear();
        log.info("Orderer {} stopped", config.nodeName());
    }
}
