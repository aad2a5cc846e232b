package io.fabsim.benchmarks.crypto;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.EcdsaPublicKey;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Per-operation CPU time of ECDSA P-256 sign/verify (1 KiB message), measured with the thread's
 * CPU clock so that other processes on a busy machine do not inflate it (JMH's
 * {@link SignatureBenchmark} measures wall time). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.fabsim.benchmarks.crypto.SignatureCpuTime}.
 */
public final class SignatureCpuTime {

    private static final int ROUNDS = 20_000;

    private SignatureCpuTime() {
    }

    @FunctionalInterface
    private interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createTempDirectory("fabsim-bench-crypto");
        long genStart = cpu();
        CryptoGenerator.generate(CryptogenConfig.from(ConfigLoader.fromString(
                "PeerOrgs = [{ Name = Org1, Domain = org1.example.com, EnableNodeOUs = true, Template { Count = 1 } }]")),
                out, Clock.system());
        System.out.printf("cryptogen of 1 org (2 CAs, 2 identities), cold: %.1f ms CPU%n", (cpu() - genStart) / 1e6);
        Path org = out.resolve("peerOrganizations/org1.example.com");
        SigningIdentity signer = LocalMsp.loadSigningIdentity("Org1MSP", org.resolve("peers/peer0.org1.example.com/msp"));
        byte[] message = new byte[1024];
        byte[] signature = signer.sign(message);
        PublicKey publicKey = signer.certificate().getPublicKey();
        EcdsaPublicKey bcKey = EcdsaPublicKey.of(publicKey, "bench");
        MspVerifier verifier = MspVerifier.of(OrgMsp.fromFolder("Org1MSP", org.resolve("msp")));
        byte[] identity = signer.serializedIdentity();
        measure("sign (BouncyCastle, RFC 6979, low-S)", ROUNDS, () -> signer.sign(message));
        measure("verify (BouncyCastle low-level)", ROUNDS, () -> bcKey.isValid(message, signature));
        measure("verify (JDK 17 SunEC, SHA256withECDSA)", ROUNDS / 10, () -> {
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(publicKey);
            jdk.update(message);
            return jdk.verify(signature);
        });
        measure("MspVerifier.verify (cached identity)", ROUNDS, () -> verifier.verify(identity, message, signature));
    }

    private static void measure(String name, int rounds, Op op) throws Exception {
        for (int i = 0; i < rounds; i++) {
            op.run();
        }
        long start = cpu();
        for (int i = 0; i < rounds; i++) {
            op.run();
        }
        System.out.printf("%-45s %8.1f us/op CPU (%d ops)%n", name, (cpu() - start) / 1e3 / rounds, rounds);
    }

    private static long cpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getCurrentThreadCpuTime();
    }
}
