package io.fabsim.benchmarks;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.BlockVerificationException;
import io.fabsim.common.verify.ChannelBlockVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-block costs of the channel security path on the Fabric vectors: a peer verifying block 3
 * (data hash + BlockValidation policy over the orderer signature, identities cached), parsing a
 * config block, an orderer signing a block, a deliver client signing a SeekInfo envelope.
 * Vectors: {@code -Dfabric.vectors.dir=...}, default {@code ../shared/fabric-vectors}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockVerifyBenchmark {

    private ChannelBlockVerifier verifier;
    private Block block3;
    private Block genesis;
    private ByteString hashOf2;
    private SigningIdentity orderer;

    @Setup
    public void setUp() throws Exception {
        Path dir = Path.of(System.getProperty("fabric.vectors.dir", "../shared/fabric-vectors"));
        genesis = read(dir.resolve("chain/block_0.block"));
        block3 = read(dir.resolve("chain/block_3.block"));
        hashOf2 = BlockHashing.headerHashBytes(read(dir.resolve("chain/block_2.block")).getHeader());
        verifier = ChannelBlockVerifier.forConfig(ChannelConfig.fromBlock(genesis));
        orderer = LocalMsp.loadSigningIdentity("OrdererMSP",
                dir.resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
    }

    private static Block read(Path file) throws IOException {
        return Block.parseFrom(Files.readAllBytes(file));
    }

    @Benchmark
    public Block verifyBlock() throws BlockVerificationException {
        verifier.verify(3, block3, hashOf2);
        return block3;
    }

    @Benchmark
    public ChannelConfig parseConfigBlock() throws Exception {
        return ChannelConfig.fromBlock(genesis);
    }

    @Benchmark
    public Block signBlock() {
        return BlockSignatures.sign(Blocks.newBlock(3, hashOf2, block3.getData().getDataList()), 0, ByteString.EMPTY, orderer);
    }

    @Benchmark
    public Envelope signSeekEnvelope() {
        return SeekInfos.seekEnvelope("vectors", SeekInfos.fromHeight(15), orderer, Clock.system());
    }
}
