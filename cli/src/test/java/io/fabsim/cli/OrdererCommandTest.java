package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdererCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        return FabsimCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void badConfigIsReportedWithTheKeyAndExitCode3() throws Exception {
        Path conf = dir.resolve("orderer.conf");
        Files.writeString(conf, "General.ListenPort = 99999\n");
        StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "orderer", "start", "--config", conf.toString()))
                .isEqualTo(ExitCode.BAD_CONFIG.code());
        assertThat(err.toString()).contains("General.ListenPort").contains("99999");
    }

    @Test
    void channelJoinPostsTheGenesisBlockToTheParticipationApi() throws Exception {
        Path crypto = FabricVectors.dir().resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com");
        OrdererConfig config = OrdererConfig.from(ConfigLoader.fromString("""
                General { ListenPort = 0, LocalMSPID = OrdererMSP, LocalMSPDir = "%s" }
                FileLedger.Location = "%s"
                Operations.ListenAddress = "127.0.0.1:0"
                """.formatted(crypto.resolve("msp"), dir.resolve("ledger"))));
        try (Orderer orderer = Orderer.start(config)) {
            String admin = orderer.adminAddress().toString();
            String block = FabricVectors.chainBlock(0).toString();
            StringWriter out = new StringWriter();
            assertThat(run(out, new StringWriter(), "orderer", "channel", "join", "--block", block, "--admin", admin))
                    .isEqualTo(ExitCode.OK.code());
            assertThat(out.toString()).contains("\"name\":\"vectors\"");
            assertThat(orderer.chains().chain("vectors")).isPresent();
            StringWriter err = new StringWriter();
            assertThat(run(new StringWriter(), err, "orderer", "channel", "join", "--block", block, "--admin", admin))
                    .isEqualTo(ExitCode.REMOTE_ERROR.code());
            assertThat(err.toString()).contains("already exists");
        }
    }

    @Test
    void channelJoinReachesAnAdminListenerThatRequiresMutualTls() throws Exception {
        // Scenario: Admin.ListenAddress with Admin.TLS and ClientAuthRequired (cryptogen's orderer0 TLS pair,
        // SAN 127.0.0.1). Expected: join with --cafile and the orderer admin's TLS pair works; without a
        // client certificate the TLS handshake fails and the command says it cannot reach the admin API.
        Path material = dir.resolve("crypto");
        assertThat(run(new StringWriter(), new StringWriter(), "cryptogen", "generate", "--config",
                Files.writeString(dir.resolve("crypto.conf"), """
                        OrdererOrgs = [{ Name = Orderer, Domain = example.com, EnableNodeOUs = true,
                          Specs = [{ Hostname = orderer0, SANS = ["127.0.0.1"] }] }]
                        """).toString(), "--output", material.toString())).isZero();
        Path org = material.resolve("ordererOrganizations/example.com");
        Path tls = org.resolve("orderers/orderer0.example.com/tls");
        Path tlsCa = org.resolve("tlsca/tlsca.example.com-cert.pem");
        Path msp = FabricVectors.dir().resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp");
        OrdererConfig config = OrdererConfig.from(ConfigLoader.fromString("""
                General { ListenPort = 0, LocalMSPID = OrdererMSP, LocalMSPDir = "%s" }
                FileLedger.Location = "%s"
                Operations.ListenAddress = "127.0.0.1:0"
                Admin { ListenAddress = "127.0.0.1:0", TLS { Enabled = true, Certificate = "%s", PrivateKey = "%s",
                        ClientAuthRequired = true, ClientRootCAs = ["%s"] } }
                """.formatted(msp, dir.resolve("ledger"), tls.resolve("server.crt"), tls.resolve("server.key"), tlsCa)));
        try (Orderer orderer = Orderer.start(config)) {
            String admin = orderer.adminAddress().toString();
            String block = FabricVectors.chainBlock(0).toString();
            Path client = org.resolve("users/Admin@example.com/tls");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(run(out, err, "orderer", "channel", "join", "--block", block, "--admin", admin, "--cafile",
                    tlsCa.toString(), "--certfile", client.resolve("client.crt").toString(), "--keyfile",
                    client.resolve("client.key").toString())).as(err.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(out.toString()).contains("\"name\":\"vectors\"");
            StringWriter refused = new StringWriter();
            assertThat(run(new StringWriter(), refused, "orderer", "channel", "join", "--block", block, "--admin", admin,
                    "--cafile", tlsCa.toString())).isEqualTo(ExitCode.REMOTE_ERROR.code());
            assertThat(refused.toString()).contains("cannot reach the orderer's admin API at " + admin);
        }
    }
}
