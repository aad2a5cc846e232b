package io.fabsim.tools.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.tools.cryptogen.CryptogenConfig.NodeSpec;
import io.fabsim.tools.cryptogen.CryptogenConfig.OrgSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CryptogenConfigTest {

    static Path demoConfig() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/crypto-config.conf"))) {
                return p.resolve("conf/crypto-config.conf");
            }
        }
        throw new AssertionError("conf/crypto-config.conf not found above " + Path.of("").toAbsolutePath());
    }

    static CryptogenConfig parse(String hocon) {
        return CryptogenConfig.from(ConfigLoader.fromString(hocon));
    }

    @Test
    void demoConfigHasTheOrdererOrgAndTwoPeerOrgs() {
        CryptogenConfig config = CryptogenConfig.from(ConfigLoader.load(Optional.of(demoConfig()), Map.of(), List.of()));
        assertThat(config.ordererOrgs()).singleElement().satisfies(org -> {
            assertThat(org.domain()).isEqualTo("example.com");
            assertThat(org.nodes()).extracting(NodeSpec::commonName)
                    .containsExactly("orderer0.example.com", "orderer1.example.com");
            assertThat(org.nodes().get(0).sans()).containsExactly("orderer0.example.com", "orderer0", "localhost", "127.0.0.1");
        });
        assertThat(config.peerOrgs()).extracting(OrgSpec::domain).containsExactly("org1.example.com", "org2.example.com");
        for (OrgSpec org : config.peerOrgs()) {
            assertThat(org.enableNodeOUs()).isTrue();
            assertThat(org.nodes()).hasSize(3);
            assertThat(org.users()).isEqualTo(1);
            assertThat(org.ca().commonName()).isEqualTo("ca." + org.domain());
        }
    }

    @Test
    void templatesRenderAsCryptogenDoes() {
        CryptogenConfig config = parse("""
                PeerOrgs = [{ Name = Org3, Domain = org3.net,
                  CA { Hostname = rootca, Country = DE },
                  Template { Count = 2, Start = 5, Hostname = "node{{.Index}}", SANS = ["{{.Hostname}}.alt.{{.Domain}}", "10.0.0.1"] },
                  Specs = [{ Hostname = foo, CommonName = "foo27.{{.Domain}}", SANS = ["{{ .CommonName }}.x"] }] }]
                """);
        OrgSpec org = config.peerOrgs().get(0);
        assertThat(org.ca().commonName()).isEqualTo("rootca.org3.net");
        assertThat(org.ca().country()).isEqualTo("DE");
        assertThat(org.nodes()).extracting(NodeSpec::commonName).containsExactly("node5.org3.net", "node6.org3.net", "foo27.org3.net");
        assertThat(org.nodes().get(0).sans()).containsExactly("node5.org3.net", "node5", "node5.alt.org3.net", "10.0.0.1");
        assertThat(org.nodes().get(2).sans()).containsExactly("foo27.org3.net", "foo", "foo27.org3.net.x");
        assertThat(org.enableNodeOUs()).isFalse();
        assertThat(org.users()).isZero();
    }

    @Test
    void badValuesNameThePath() {
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, Template { Count = x } }]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PeerOrgs[0].Template.Count: expected an integer from 0 to 10000, got \"x\"");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, Template { Count = -1 } }]"))
                .hasMessage("PeerOrgs[0].Template.Count: expected an integer from 0 to 10000, got -1");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, Tempalte { Count = 1 } }]"))
                .hasMessageStartingWith("PeerOrgs[0].Tempalte: unknown key (expected one of [CA, Domain, EnableNodeOUs,");
        assertThatThrownBy(() -> parse("OrdererOrgs = [{ Name = O, Domain = o.com, Users { Count = 1 } }]"))
                .hasMessageStartingWith("OrdererOrgs[0].Users: unknown key");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = \"a b.com\" }]"))
                .hasMessageStartingWith("PeerOrgs[0].Domain: expected a host or domain name");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = \"../etc\" }]"))
                .hasMessageStartingWith("PeerOrgs[0].Domain: expected a host or domain name");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A }]"))
                .hasMessage("PeerOrgs[0].Domain: missing: expected a non-empty name");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, Specs = [{ Hostname = p, SANS = [\"{{.Nope}}\"] }] }]"))
                .hasMessageStartingWith("PeerOrgs[0].Specs[0].SANS: unknown template variable {{.Nope}}");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, EnableNodeOUs = maybe }]"))
                .hasMessage("PeerOrgs[0].EnableNodeOUs: expected a boolean (true or false), got \"maybe\"");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com }, { Name = B, Domain = a.com }]"))
                .hasMessageContaining("domain \"a.com\" is used by two organizations");
        assertThatThrownBy(() -> parse("PeerOrgs = [{ Name = A, Domain = a.com, Template { Count = 1 }, Specs = [{ Hostname = peer0 }] }]"))
                .hasMessageContaining("two nodes of a.com have the common name \"peer0.a.com\"");
        assertThatThrownBy(() -> parse("PeerOrgs = 3"))
                .hasMessage("PeerOrgs: expected a list of objects [ { ... } ], got 3");
        assertThatThrownBy(() -> parse("x = 1"))
                .hasMessageContaining("expected at least one organization in OrdererOrgs or PeerOrgs");
    }
}
