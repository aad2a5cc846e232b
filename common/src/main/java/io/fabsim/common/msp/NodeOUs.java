package io.fabsim.common.msp;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The NodeOU part of an MSP configuration ({@code msp/config.yaml} {@code NodeOUs}, or a channel
 * config's {@code FabricNodeOUs}): when enabled, an identity's role is the OU of its certificate
 * and an identity must carry exactly one of the configured role OUs. Absent identifiers are null.
 */
public record NodeOUs(boolean enabled, OuIdentifier client, OuIdentifier peer, OuIdentifier admin, OuIdentifier orderer) {

    /**
     * One role OU: its name in the certificate's OU and, optionally, the CA certificate that must
     * have issued the identity (Fabric's {@code Certificate} attribute).
     */
    public record OuIdentifier(String organizationalUnit, Optional<X509Certificate> certificate) {

        public OuIdentifier {
            if (organizationalUnit == null || organizationalUnit.isBlank()) {
                throw new IllegalArgumentException("a NodeOU identifier needs an OrganizationalUnitIdentifier");
            }
        }

        public static OuIdentifier of(String organizationalUnit) {
            return new OuIdentifier(organizationalUnit, Optional.empty());
        }
    }

    public static NodeOUs disabled() {
        return new NodeOUs(false, null, null, null, null);
    }

    /** NodeOUs as cryptogen writes them: OUs client, peer, admin, orderer, all issued by {@code ca}. */
    public static NodeOUs standard(X509Certificate ca) {
        Optional<X509Certificate> issuer = Optional.ofNullable(ca);
        return new NodeOUs(true, new OuIdentifier("client", issuer), new OuIdentifier("peer", issuer),
                new OuIdentifier("admin", issuer), new OuIdentifier("orderer", issuer));
    }

    Optional<OuIdentifier> identifier(Role role) {
        return Optional.ofNullable(switch (role) {
            case CLIENT -> client;
            case PEER -> peer;
            case ADMIN -> admin;
            case ORDERER -> orderer;
            case MEMBER -> null;
        });
    }
}
