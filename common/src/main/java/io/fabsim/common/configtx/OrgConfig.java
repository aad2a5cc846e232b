package io.fabsim.common.configtx;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import java.util.List;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;

/**
 * One organization of a channel config: its group name (e.g. {@code OrdererOrg}), its MSP id
 * and {@code msp.FabricMSPConfig}, its policies and, for orderer orgs, its {@code Endpoints}.
 * Certificates are PEM bytes as stored in the config.
 */
public record OrgConfig(String name, String mspId, FabricMSPConfig msp, List<HostPort> endpoints,
                        PolicyGroup policies) {

    public OrgConfig {
        endpoints = List.copyOf(endpoints);
    }

    public List<ByteString> rootCerts() {
        return msp.getRootCertsList();
    }

    public List<ByteString> intermediateCerts() {
        return msp.getIntermediateCertsList();
    }

    public List<ByteString> tlsRootCerts() {
        return msp.getTlsRootCertsList();
    }

    public List<ByteString> tlsIntermediateCerts() {
        return msp.getTlsIntermediateCertsList();
    }

    /** The NodeOU settings (client, peer, admin, orderer OUs); {@code enable} false when absent. */
    public FabricNodeOUs nodeOus() {
        return msp.getFabricNodeOus();
    }
}
