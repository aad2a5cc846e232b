package io.fabsim.deliver.testing;

import io.fabsim.deliver.PayloadSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;

/** Records what the deliver client passes on; can refuse chosen blocks. */
public final class RecordingSink implements PayloadSink {

    public final List<Payload> payloads = new CopyOnWriteArrayList<>();
    public final List<GossipMessage> gossiped = new CopyOnWriteArrayList<>();
    public final List<String> channels = new CopyOnWriteArrayList<>();
    private volatile LongPredicate refuse = n -> false;

    public void refuseOnce(long seqNum) {
        refuse = n -> {
            if (n == seqNum) {
                refuse = m -> false;
                return true;
            }
            return false;
        };
    }

    @Override
    public void addPayload(String channel, Payload payload) {
        if (refuse.test(payload.getSeqNum())) {
            throw new IllegalStateException("fake-payload-error");
        }
        channels.add(channel);
        payloads.add(payload);
    }

    @Override
    public void gossip(GossipMessage message) {
        gossiped.add(message);
    }

    public List<Long> seqNums() {
        return payloads.stream().map(Payload::getSeqNum).toList();
    }
}
