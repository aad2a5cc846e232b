package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.Role;
import io.fabsim.common.msp.SigningIdentity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptogenCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return FabsimCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    static Path demoConfig() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/crypto-config.conf"))) {
                return p.resolve("conf/crypto-config.conf");
            }
        }
        throw new AssertionError("conf/crypto-config.conf not found");
    }

    @Test
    void generatesTheDemoNetworkThatLoadsAndVerifies(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("crypto-config");
        int code = run("cryptogen", "generate", "--config", demoConfig().toString(), "--output", output.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Generated 3 organizations, 13 identities in " + output);

        Path orderer1 = output.resolve("ordererOrganizations/example.com/orderers/orderer1.example.com");
        LocalMsp local = LocalMsp.load("OrdererMSP", orderer1.resolve("msp"));
        assertThat(local.role()).isEqualTo(Role.ORDERER);
        assertThat(orderer1.resolve("tls/server.crt")).exists();
        Path peer2 = output.resolve("peerOrganizations/org2.example.com/peers/peer2.org2.example.com/msp");
        SigningIdentity signer = LocalMsp.loadSigningIdentity("Org2MSP", peer2);
        byte[] message = "block".getBytes(StandardCharsets.UTF_8);
        MspVerifier verifier = MspVerifier.of(OrgMsp.fromFolder("Org2MSP", output.resolve("peerOrganizations/org2.example.com/msp")));
        assertThat(verifier.verify(signer.serializedIdentity(), message, signer.sign(message))).isEqualTo("Org2MSP");
    }

    @Test
    void runningTwiceIntoTheSameOutputIsRefusedWithoutTouchingIt(@TempDir Path dir) {
        assertThat(run("cryptogen", "generate", "--config", demoConfig().toString(), "--output", dir.toString())).isZero();
        int code = run("cryptogen", "generate", "--config", demoConfig().toString(), "--output", dir.toString());
        assertThat(code).isEqualTo(ExitCode.FAILURE.code());
        assertThat(err.toString()).contains("already exists: remove it or choose another --output");
    }

    @Test
    void badConfigIsExitCode3NamingTheKey(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "PeerOrgs = [{ Name = A, Domain = a.com, Users { Count = lots } }]");
        int code = run("cryptogen", "generate", "--config", conf.toString(), "--output", dir.resolve("out").toString());
        assertThat(code).isEqualTo(ExitCode.BAD_CONFIG.code());
        assertThat(err.toString()).contains("PeerOrgs[0].Users.Count: expected an integer from 0 to 10000, got \"lots\"");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        assertThat(run("cryptogen", "generate")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("--config");
    }
}
