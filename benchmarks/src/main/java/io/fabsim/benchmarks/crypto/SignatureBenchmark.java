package io.fabsim.benchmarks.crypto;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.EcdsaPublicKey;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ECDSA P-256 sign and verify of a 1 KiB message (about an envelope payload): BouncyCastle
 * low-level (ours), the JDK 17 provider (SunEC) for comparison, and MspVerifier.verify with a
 * warm identity cache (the hot path of block and envelope checks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {

    private final byte[] message = new byte[1024];
    private SigningIdentity signer;
    private byte[] signature;
    private PublicKey publicKey;
    private EcdsaPublicKey bcKey;
    private MspVerifier verifier;
    private byte[] identity;

    @Setup
    public void setUp() throws Exception {
        Path out = Files.createTempDirectory("fabsim-bench-crypto");
        CryptoGenerator.generate(CryptogenConfig.from(ConfigLoader.fromString(
                "PeerOrgs = [{ Name = Org1, Domain = org1.example.com, EnableNodeOUs = true, Template { Count = 1 } }]")),
                out, Clock.system());
        Path org = out.resolve("peerOrganizations/org1.example.com");
        signer = LocalMsp.loadSigningIdentity("Org1MSP", org.resolve("peers/peer0.org1.example.com/msp"));
        signature = signer.sign(message);
        publicKey = signer.certificate().getPublicKey();
        bcKey = EcdsaPublicKey.of(publicKey, "bench");
        verifier = MspVerifier.of(OrgMsp.fromFolder("Org1MSP", org.resolve("msp")));
        identity = signer.serializedIdentity();
        verifier.verify(identity, message, signature);
    }

    @Benchmark
    public byte[] signBouncyCastle() {
        return signer.sign(message);
    }

    @Benchmark
    public boolean verifyBouncyCastle() {
        return bcKey.isValid(message, signature);
    }

    @Benchmark
    public boolean verifyJdkSunEc() throws Exception {
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(publicKey);
        jdk.update(message);
        return jdk.verify(signature);
    }

    @Benchmark
    public String verifyMspVerifierCachedIdentity() throws Exception {
        return verifier.verify(identity, message, signature);
    }

    @Benchmark
    public byte[] sha256Jdk() {
        return Ecdsa.sha256(message);
    }
}
