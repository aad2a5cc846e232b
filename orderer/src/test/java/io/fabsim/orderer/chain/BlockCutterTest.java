package io.fabsim.orderer.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.BatchSize;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

/** Fabric's blockcutter rules, message size = payload + signature. */
class BlockCutterTest {

    private static final BatchSize SIZE = new BatchSize(3, 10_000, 100);

    private static Envelope message(int payloadBytes) {
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[payloadBytes - 2]))
                .setSignature(ByteString.copyFrom(new byte[2])).build();
    }

    @Test
    void messageSizeIsPayloadPlusSignature() {
        assertThat(BlockCutter.messageSize(message(40))).isEqualTo(40);
    }

    @Test
    void cutsAtMaxMessageCount() {
        BlockCutter cutter = new BlockCutter();
        assertThat(cutter.ordered(message(10), SIZE)).isEqualTo(new BlockCutter.Ordered(List.of(), true));
        assertThat(cutter.ordered(message(10), SIZE).pending()).isTrue();
        BlockCutter.Ordered third = cutter.ordered(message(10), SIZE);
        assertThat(third.pending()).isFalse();
        assertThat(third.batches()).hasSize(1);
        assertThat(third.batches().get(0)).hasSize(3);
        assertThat(cutter.pendingCount()).isZero();
    }

    @Test
    void messageLargerThanPreferredMaxBytesIsCutAloneAfterThePendingBatch() {
        BlockCutter cutter = new BlockCutter();
        Envelope small = message(10);
        Envelope large = message(101);
        cutter.ordered(small, SIZE);
        BlockCutter.Ordered ordered = cutter.ordered(large, SIZE);
        assertThat(ordered.pending()).isFalse();
        assertThat(ordered.batches()).containsExactly(List.of(small), List.of(large));
        assertThat(new BlockCutter().ordered(large, SIZE).batches()).as("no empty batch before it")
                .containsExactly(List.of(large));
    }

    @Test
    void pendingBatchIsCutWhenTheMessageWouldOverflowPreferredMaxBytes() {
        BlockCutter cutter = new BlockCutter();
        Envelope a = message(60);
        Envelope b = message(40);
        Envelope c = message(2);
        assertThat(cutter.ordered(a, SIZE).batches()).isEmpty();
        assertThat(cutter.ordered(b, SIZE).batches()).as("exactly 100 bytes still fits").isEmpty();
        BlockCutter.Ordered ordered = cutter.ordered(c, SIZE);
        assertThat(ordered.batches()).containsExactly(List.of(a, b));
        assertThat(ordered.pending()).isTrue();
        assertThat(cutter.cut()).containsExactly(c);
        assertThat(cutter.cut()).isEmpty();
    }

    @Test
    void overflowCutAndCountCutCanHappenOnOneMessage() {
        BatchSize one = new BatchSize(1, 10_000, 100);
        BlockCutter cutter = new BlockCutter();
        BlockCutter.Ordered first = cutter.ordered(message(60), one);
        assertThat(first.batches()).hasSize(1);
        BatchSize two = new BatchSize(2, 10_000, 100);
        cutter.ordered(message(60), two);
        BlockCutter.Ordered ordered = cutter.ordered(message(60), new BatchSize(1, 10_000, 100));
        assertThat(ordered.batches()).as("overflow cut, then the count cut of the new message").hasSize(2);
        assertThat(ordered.pending()).isFalse();
    }
}
