package io.fabsim.deliver.testing;

import io.fabsim.deliver.BlockSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.hyperledger.fabric.protos.common.Block;

/** Records what the deliver client passes on; can refuse chosen blocks. */
public final class RecordingSink implements BlockSink {

    public final List<Block> blocks = new CopyOnWriteArrayList<>();
    public final List<String> channels = new CopyOnWriteArrayList<>();
    private volatile LongPredicate refuse = n -> false;

    public void refuseOnce(long number) {
        refuse = n -> {
            if (n == number) {
                refuse = m -> false;
                return true;
            }
            return false;
        };
    }

    @Override
    public void addBlock(String channel, Block block) {
        if (refuse.test(block.getHeader().getNumber())) {
            throw new IllegalStateException("fake-sink-error");
        }
        channels.add(channel);
        blocks.add(block);
    }

    public List<Long> numbers() {
        return blocks.stream().map(b -> b.getHeader().getNumber()).toList();
    }
}
