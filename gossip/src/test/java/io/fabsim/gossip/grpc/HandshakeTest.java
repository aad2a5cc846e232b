package io.fabsim.gossip.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.testing.TestPki;
import org.hyperledger.fabric.protos.gossip.ConnEstablish;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private final TestPki.Org org1 = TestPki.org("Org1MSP");
    private final TestPki.Org org2 = TestPki.org("Org2MSP");
    private final TestPki.Node local = org1.node("peer0.org1.example.com");
    private final TestPki.Node remote = org1.node("peer1.org1.example.com");
    private final Handshake verifierSide = new Handshake(local.signer(), TestPki.verifier(org1, org2), der(local));

    private static byte[] der(TestPki.Node node) {
        try {
            return node.tlsCert().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Handshake of(TestPki.Node node) {
        return new Handshake(node.signer(), TestPki.verifier(node.org()), der(node));
    }

    @Test
    void peerOfTheSameOrgWithMatchingTlsBindingIsAccepted() throws Exception {
        Envelope hello = of(remote).connEstablish();
        Handshake.Authenticated peer = verifierSide.verify(hello, der(remote), "test");
        assertThat(peer.mspId()).isEqualTo("Org1MSP");
        assertThat(peer.name()).isEqualTo("peer1.org1.example.com");
        assertThat(peer.pkiId()).isEqualTo(Handshake.pkiIdOf(remote.signer().serializedIdentity()));
        assertThat(peer.pkiId().size()).isEqualTo(32);
        // without a client certificate (server-side TLS only) the binding is not checked, as in Fabric
        assertThat(verifierSide.verify(hello, null, "test").pkiId()).isEqualTo(peer.pkiId());
    }

    @Test
    void peerOfAnotherOrgIsRefused() {
        Envelope hello = of(org2.node("peer0.org2.example.com")).connEstablish();
        assertThatThrownBy(() -> verifierSide.verify(hello, null, "10.0.0.9:7051"))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("10.0.0.9:7051: peer of organization Org2MSP, expected Org1MSP (gossip stays inside the organization)");
    }

    @Test
    void tlsCertificateOfAnotherNodeBreaksTheBinding() {
        Envelope hello = of(remote).connEstablish();
        byte[] otherCert = der(org1.node("peer2.org1.example.com"));
        assertThatThrownBy(() -> verifierSide.verify(hello, otherCert, "test"))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("TLS binding mismatch");
    }

    @Test
    void badSignatureWrongPkiIdAndOtherFirstMessagesAreRefused() throws Exception {
        Envelope hello = of(remote).connEstablish();
        byte[] sig = hello.getSignature().toByteArray();
        sig[sig.length - 1] ^= 1;
        Envelope badSig = hello.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
        assertThatThrownBy(() -> verifierSide.verify(badSig, null, "test"))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("identity or signature refused");

        GossipMessage message = GossipMessage.parseFrom(hello.getPayload());
        ConnEstablish forged = message.getConn().toBuilder()
                .setPkiId(Handshake.pkiIdOf(local.signer().serializedIdentity())).build();
        byte[] payload = message.toBuilder().setConn(forged).build().toByteArray();
        Envelope wrongPki = Envelope.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(remote.signer().sign(payload))).build();
        assertThatThrownBy(() -> verifierSide.verify(wrongPki, null, "test"))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("is not that of its identity");

        Envelope notConn = Envelope.newBuilder().setPayload(GossipMessage.newBuilder()
                .setEmpty(org.hyperledger.fabric.protos.gossip.Empty.getDefaultInstance()).build().toByteString()).build();
        assertThatThrownBy(() -> verifierSide.verify(notConn, null, "test"))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("expected a ConnEstablish");
        Envelope garbage = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("\u00ff\u00ff garbage")).build();
        assertThatThrownBy(() -> verifierSide.verify(garbage, null, "test"))
                .isInstanceOf(HandshakeException.class);
    }
}
