package io.fabsim.common.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.crypto.CryptoMaterialException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleYamlTest {

    @Test
    void readsNestedMappingsAndSkipsSequencesAndComments() {
        Map<String, Object> yaml = SimpleYaml.parse("""
                # MSP config written by hand
                OrganizationalUnitIdentifiers:
                - Certificate: cacerts/ca.pem
                  OrganizationalUnitIdentifier: COP
                NodeOUs:
                  Enable: "true"   # quoted
                  ClientOUIdentifier:
                    Certificate: 'cacerts/ca.pem'
                    OrganizationalUnitIdentifier: client
                  PeerOUIdentifier:
                    OrganizationalUnitIdentifier: peer
                """, "config.yaml");
        assertThat(yaml).containsKeys("OrganizationalUnitIdentifiers", "NodeOUs");
        @SuppressWarnings("unchecked")
        Map<String, Object> ous = (Map<String, Object>) yaml.get("NodeOUs");
        assertThat(ous.get("Enable")).isEqualTo("true");
        assertThat(ous.get("ClientOUIdentifier")).isEqualTo(Map.of("Certificate", "cacerts/ca.pem", "OrganizationalUnitIdentifier", "client"));
        assertThat(ous.get("PeerOUIdentifier")).isEqualTo(Map.of("OrganizationalUnitIdentifier", "peer"));
    }

    @Test
    void aLineThatIsNotKeyValueIsReportedWithItsNumber() {
        assertThatThrownBy(() -> SimpleYaml.parse("NodeOUs:\n  Enable true\n", "msp/config.yaml"))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessage("msp/config.yaml: line 2: expected \"key: value\", got \"Enable true\"");
    }
}
