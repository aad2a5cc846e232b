package io.fabsim.common.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.testing.FabricVectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MspVerifierTest {

    private static final byte[] MESSAGE = "payload".getBytes(StandardCharsets.UTF_8);

    private Path peerOrgs;
    private OrgMsp org1;
    private OrgMsp org2;
    private MspVerifier verifier;

    @BeforeEach
    void load() {
        peerOrgs = FabricVectors.dir().resolve("crypto-config/peerOrganizations");
        org1 = OrgMsp.fromFolder("Org1MSP", peerOrgs.resolve("org1.example.com/msp"));
        org2 = OrgMsp.fromFolder("Org2MSP", peerOrgs.resolve("org2.example.com/msp"));
        verifier = MspVerifier.of(org1, org2);
    }

    private SigningIdentity identity(String org, String kind, String name, String mspId) {
        return LocalMsp.loadSigningIdentity(mspId, peerOrgs.resolve(org).resolve(kind).resolve(name).resolve("msp"));
    }

    @Test
    void signAndVerifyRoundTripGivesMspIdAndRole() throws Exception {
        SigningIdentity peer = identity("org2.example.com", "peers", "peer1.org2.example.com", "Org2MSP");
        byte[] sig = peer.sign(MESSAGE);
        assertThat(verifier.verify(peer.serializedIdentity(), MESSAGE, sig)).isEqualTo("Org2MSP");
        ValidatedIdentity validated = verifier.verifyIdentity(peer.serializedIdentity(), MESSAGE, sig);
        assertThat(validated.role()).isEqualTo(Role.PEER);
        assertThat(validated.satisfies("Org2MSP", Role.MEMBER)).isTrue();
        assertThat(validated.satisfies("Org2MSP", Role.ADMIN)).isFalse();
        assertThat(verifier.validate(peer.serializedIdentity())).isSameAs(validated);
    }

    @Test
    void highSAndTamperedMessagesAreRejectedNamingTheSigner() {
        SigningIdentity user = identity("org1.example.com", "users", "User1@org1.example.com", "Org1MSP");
        byte[] sig = user.sign(MESSAGE);
        BigInteger[] rs = Ecdsa.decodeDer(sig);
        byte[] highS = Ecdsa.encodeDer(rs[0], Ecdsa.ORDER.subtract(rs[1]));
        assertThatThrownBy(() -> verifier.verify(user.serializedIdentity(), MESSAGE, highS))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageStartingWith("signature by Org1MSP (CN=User1@org1.example.com")
                .hasMessageEndingWith("is high-S (Fabric rejects it)");
        byte[] tampered = "paylOad".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(user.serializedIdentity(), tampered, sig))
                .hasMessageContaining("does not verify");
    }

    @Test
    void certificateOfAnotherOrgUnderThisMspIdIsRefused() throws Exception {
        byte[] org2Pem = Files.readAllBytes(peerOrgs.resolve(
                "org2.example.com/users/User1@org2.example.com/msp/signcerts/User1@org2.example.com-cert.pem"));
        assertThatThrownBy(() -> verifier.validate(SerializedIdentities.serialize("Org1MSP", org2Pem)))
                .hasMessage("identity of Org1MSP: certificate not issued by the org's CA (issuer "
                        + "CN=ca.org2.example.com,O=org2.example.com,L=San Francisco,ST=California,C=US, expected one of "
                        + "[CN=ca.org1.example.com,O=org1.example.com,L=San Francisco,ST=California,C=US])");
    }

    @Test
    void tlsCertificatesAreNotMspIdentities() throws Exception {
        byte[] tlsPem = Files.readAllBytes(peerOrgs.resolve("org1.example.com/peers/peer0.org1.example.com/tls/server.crt"));
        assertThatThrownBy(() -> verifier.validate(SerializedIdentities.serialize("Org1MSP", tlsPem)))
                .hasMessageContaining("certificate not issued by the org's CA (issuer CN=tlsca.org1.example.com");
    }

    @Test
    void unknownMspCaCertAndGarbageAreRefused() throws Exception {
        byte[] pem = Files.readAllBytes(peerOrgs.resolve("org1.example.com/ca/ca.org1.example.com-cert.pem"));
        assertThatThrownBy(() -> verifier.validate(SerializedIdentities.serialize("Org9MSP", pem)))
                .hasMessage("identity of Org9MSP: MSP Org9MSP is not defined here (known: [Org1MSP, Org2MSP])");
        assertThatThrownBy(() -> verifier.validate(SerializedIdentities.serialize("Org1MSP", pem)))
                .hasMessageContaining("a CA certificate (Basic Constraints CA:TRUE) cannot be used as an identity");
        assertThatThrownBy(() -> verifier.validate(SerializedIdentities.serialize("Org1MSP", "junk".getBytes(StandardCharsets.UTF_8))))
                .hasMessageStartingWith("identity of Org1MSP: id_bytes: corrupt PEM");
        assertThatThrownBy(() -> verifier.validate(new byte[] {(byte) 0xff, 0x01}))
                .hasMessageStartingWith("identity: not a msp.SerializedIdentity");
    }

    @Test
    void identityWithoutARoleOuIsRefusedWhenNodeOUsAreOn() throws Exception {
        X509Certificate peerCert = identity("org1.example.com", "peers", "peer0.org1.example.com", "Org1MSP").certificate();
        NodeOUs onlyClients = new NodeOUs(true, NodeOUs.OuIdentifier.of("client"), null, NodeOUs.OuIdentifier.of("admin"), null);
        OrgMsp clientsOnly = OrgMsp.ofCertificates("Org1MSP", org1.rootCerts(), List.of(), org1.tlsRootCerts(), List.of(), onlyClients);
        assertThatThrownBy(() -> MspVerifier.of(clientsOnly).validate(SerializedIdentities.serialize("Org1MSP", peerCert)))
                .hasMessageContaining("the identity must be a client, a peer, an orderer or an admin identity")
                .hasMessageContaining("OUs [peer] matched []");
        OrgMsp noOus = OrgMsp.ofCertificates("Org1MSP", org1.rootCerts(), List.of(), List.of(), List.of(), NodeOUs.disabled());
        assertThat(MspVerifier.of(noOus).validate(SerializedIdentities.serialize("Org1MSP", peerCert)).role()).isEqualTo(Role.MEMBER);
    }

    @Test
    void expiryIsAnExplicitCheck() {
        X509Certificate cert = identity("org1.example.com", "peers", "peer0.org1.example.com", "Org1MSP").certificate();
        assertThat(MspVerifier.isExpired(cert, Instant.parse("2030-01-01T00:00:00Z"))).isFalse();
        assertThat(MspVerifier.isExpired(cert, Instant.parse("2036-11-18T09:43:01Z"))).isTrue();
        assertThat(MspVerifier.isExpired(cert, Instant.parse("2020-01-01T00:00:00Z"))).isTrue();
        ValidatedIdentity id = new ValidatedIdentity("Org1MSP", cert, Role.PEER, null);
        assertThat(id.isExpiredAt(Instant.parse("2037-01-01T00:00:00Z"))).isTrue();
        assertThat(id.isExpiredAt(Instant.parse("2027-01-01T00:00:00Z"))).isFalse();
    }

    @Test
    void fabricMspConfigRoundTrip() throws Exception {
        OrgMsp back = OrgMsp.fromFabricMspConfig(org1.toFabricMspConfig());
        assertThat(back.mspId()).isEqualTo("Org1MSP");
        assertThat(back.rootCerts()).isEqualTo(org1.rootCerts());
        assertThat(back.tlsRootCerts()).isEqualTo(org1.tlsRootCerts());
        assertThat(back.nodeOUs().enabled()).isTrue();
        assertThat(back.nodeOUs().peer().certificate()).contains(org1.rootCerts().get(0));
        assertThat(back.rootCertPems().get(0))
                .isEqualTo(Files.readAllBytes(peerOrgs.resolve("org1.example.com/msp/cacerts/ca.org1.example.com-cert.pem")));
    }

    @Test
    void block3TransactionsVerifyAndTheTamperedTransactionFails() throws Exception {
        MspVerifier org1Only = MspVerifier.of(org1);
        Block block = Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(3)));
        assertThat(block.getData().getDataCount()).isEqualTo(3);
        for (ByteString tx : block.getData().getDataList()) {
            Envelope env = Envelope.parseFrom(tx);
            ValidatedIdentity creator = org1Only.verifyIdentity(creator(env), env.getPayload().toByteArray(),
                    env.getSignature().toByteArray());
            assertThat(creator.subject()).startsWith("CN=User1@org1.example.com");
            assertThat(creator.role()).isEqualTo(Role.CLIENT);
        }
        Block bad = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative/block_3_tx_byte_changed.block")));
        Envelope tx0 = Envelope.parseFrom(bad.getData().getData(0));
        assertThatThrownBy(() -> org1Only.verify(creator(tx0), tx0.getPayload().toByteArray(), tx0.getSignature().toByteArray()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("User1@org1.example.com")
                .hasMessageContaining("does not verify");
        for (int i = 1; i < 3; i++) {
            Envelope tx = Envelope.parseFrom(bad.getData().getData(i));
            assertThat(org1Only.verify(creator(tx), tx.getPayload().toByteArray(), tx.getSignature().toByteArray()))
                    .isEqualTo("Org1MSP");
        }
    }

    @Test
    void recordedDeliverRequestsVerify() throws Exception {
        Path dir = FabricVectors.dir().resolve("deliver-requests");
        for (String name : List.of("fetch_oldest_tls", "fetch_3_mutual_tls", "fetch_3_plaintext")) {
            Envelope env = Envelope.parseFrom(FabricVectors.read(dir.resolve(name + ".envelope")));
            ValidatedIdentity who = verifier.verifyIdentity(creator(env), env.getPayload().toByteArray(),
                    env.getSignature().toByteArray());
            assertThat(who.role()).isEqualTo(Role.ADMIN);
        }
    }

    private static byte[] creator(Envelope env) throws Exception {
        Payload payload = Payload.parseFrom(env.getPayload());
        return SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader()).getCreator().toByteArray();
    }

    @Test
    void pemOfSerializedIdentityIsKeptByteForByte() {
        SigningIdentity peer = identity("org1.example.com", "peers", "peer2.org1.example.com", "Org1MSP");
        assertThat(SerializedIdentities.parse(peer.serializedIdentity()).getIdBytes().toByteArray())
                .isEqualTo(Pem.encodeCertificate(peer.certificate()));
    }
}
