package io.fabsim.orderer.chain;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.EndorserTransactions;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in load source: submits synthetic signed transactions at a fixed rate per channel
 * through the same {@link BroadcastHandler} path as gRPC Broadcast. Each transaction is either what
 * Fabric's {@code broadcast_msg} sample client sends (a MESSAGE envelope whose data is a
 * {@code ConfigValue} of {@code txSize} zero bytes, signed by {@code signer}), or, with
 * {@link Endorsing}, a Fabric endorser transaction writing {@code txSize} bytes, created by a client
 * of an org of the channel and endorsed by a peer of each of the channel's orgs. When it falls more
 * than one second behind (a slow machine), it drops the backlog beyond that second rather than burst.
 * The rate starts at {@code orderer.load.rate} and can be changed while it runs ({@link #setRate}),
 * from the admin API; 0 stops submitting until a rate above 0 is set.
 */
public final class LoadSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadSource.class);
    private static final Duration TICK = Duration.ofMillis(10);

    /** The largest rate, as for {@code orderer.load.rate}. */
    public static final int MAX_RATE = 1_000_000;

    /**
     * Rate in transactions per second per channel, size of each value, channels (empty: every ordered
     * channel), and the signers of endorser transactions (empty: MESSAGE envelopes).
     */
    public record Settings(int rate, int txSize, List<String> channels, Optional<Endorsing> endorsing) {
    }

    /** Endorser transactions: per MSP ID, the org's client and endorsing peer; the chaincode invoked. */
    public record Endorsing(Map<String, OrgSigners> orgs, String chaincode) {
        public Endorsing {
            orgs = Map.copyOf(new TreeMap<>(orgs));
        }
    }

    /** An org's client (the creator) and endorsing peer. */
    public record OrgSigners(Signer client, Signer endorser) {
    }

    private final BroadcastHandler broadcast;
    private final Chains chains;
    private final Signer signer;
    private final Clock clock;
    private final Settings settings;
    private final ByteString data;
    private final ByteString value;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicInteger rate;
    private final Thread thread;
    private final Map<String, Optional<EndorserTransactions>> endorserTxs = new HashMap<>();
    private volatile boolean running = true;

    public LoadSource(BroadcastHandler broadcast, Chains chains, Signer signer, Clock clock, Settings settings) {
        this.broadcast = broadcast;
        this.chains = chains;
        this.signer = signer;
        this.clock = clock;
        this.settings = settings;
        this.rate = new AtomicInteger(settings.rate());
        this.data = ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[settings.txSize()])).build().toByteString();
        this.value = ByteString.copyFrom(new byte[settings.txSize()]);
        this.thread = new Thread(this::run, "load-source");
        this.thread.setDaemon(true);
    }

    public LoadSource start() {
        thread.start();
        log.info("Load source started: {} {} tx/s of {} bytes per channel on {}", settings.rate(),
                settings.endorsing().isPresent() ? "endorser" : "MESSAGE", settings.txSize(),
                settings.channels().isEmpty() ? "every ordered channel" : settings.channels());
        return this;
    }

    /** Transactions per second per channel now. */
    public int rate() {
        return rate.get();
    }

    /**
     * Changes the rate from now on, in transactions per second per channel: 0 stops submitting, up
     * to {@link #MAX_RATE}. What the old rate had left due is not sent.
     */
    public void setRate(int newRate) {
        if (newRate < 0 || newRate > MAX_RATE) {
            throw new IllegalArgumentException("load rate: expected 0 to " + MAX_RATE + " transactions per second, got "
                    + newRate);
        }
        int old = rate.getAndSet(newRate);
        if (old != newRate) {
            log.info("Load source rate changed from {} to {} tx/s per channel", old, newRate);
        }
    }

    /** The size of each transaction's value, in bytes. */
    public int txSize() {
        return settings.txSize();
    }

    /** Transactions accepted so far. */
    public long submitted() {
        return submitted.get();
    }

    private void run() {
        long start = clock.nanoTime();
        long sent = 0;
        int current = rate.get();
        while (running) {
            if (rate.get() != current) {
                // A new rate counts from now: restart the schedule.
                current = rate.get();
                start = clock.nanoTime();
                sent = 0;
            }
            long due = (clock.nanoTime() - start) * current / 1_000_000_000L;
            if (due - sent > current) {
                sent = due - current;
            }
            for (; sent < due && running; sent++) {
                for (String channelId : channels()) {
                    submit(channelId);
                }
            }
            try {
                clock.sleep(TICK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<String> channels() {
        if (!settings.channels().isEmpty()) {
            return settings.channels();
        }
        return chains.all().keySet().stream().filter(id -> chains.orderingChain(id).isPresent()).toList();
    }

    private void submit(String channelId) {
        Envelope envelope;
        if (settings.endorsing().isEmpty()) {
            envelope = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, channelId, data), signer, clock);
        } else {
            Optional<EndorserTransactions> txs = endorserTxs(channelId);
            if (txs.isEmpty()) {
                return;
            }
            envelope = txs.get().invoke(settings.endorsing().get().chaincode(), Envelopes.nonce(), value,
                    EndorserTransactions.Defect.NONE);
        }
        BroadcastResponse response = broadcast.process(envelope);
        if (response.getStatus() == Status.SUCCESS) {
            submitted.incrementAndGet();
        } else {
            log.debug("Load transaction on channel {} refused: {} {}", channelId, response.getStatus(), response.getInfo());
        }
    }

    /**
     * The endorser transactions of {@code channelId} (this load thread only): the client of the first
     * of the channel's orgs (by MSP ID) that has signers, endorsed by every such org's peer; empty,
     * with a warning once, when no org of the channel has signers.
     */
    private Optional<EndorserTransactions> endorserTxs(String channelId) {
        return endorserTxs.computeIfAbsent(channelId, ch -> {
            Map<String, OrgSigners> orgs = settings.endorsing().get().orgs();
            List<String> members = chains.orderingChain(ch).map(c -> c.config().applicationOrgs().stream()
                    .map(OrgConfig::mspId).filter(orgs::containsKey).sorted().toList()).orElse(List.of());
            if (members.isEmpty()) {
                log.warn("Load source: no org of channel {} has signers (orderer.load.signers has {}); no endorser "
                        + "transactions for it", ch, orgs.keySet());
                return Optional.empty();
            }
            List<Signer> endorsers = members.stream().map(m -> orgs.get(m).endorser()).toList();
            return Optional.of(new EndorserTransactions(ch, orgs.get(members.get(0)).client(), endorsers, clock));
        });
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
