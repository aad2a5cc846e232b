package io.fabsim.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.testing.FabricVectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EcdsaTest {

    private static final byte[] MESSAGE = "block 42".getBytes(StandardCharsets.UTF_8);

    private ECPrivateKey key;
    private PublicKey publicKey;
    private PublicKey otherPublicKey;

    @BeforeEach
    void load() {
        Path org1 = FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com");
        key = Pem.readPrivateKey(org1.resolve("ca/priv_sk"));
        publicKey = Pem.readCertificate(org1.resolve("ca/ca.org1.example.com-cert.pem")).getPublicKey();
        otherPublicKey = Pem.readCertificate(org1.resolve("tlsca/tlsca.org1.example.com-cert.pem")).getPublicKey();
    }

    @Test
    void signsLowSDerThatVerifies() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = Ecdsa.sign(key, message);
            BigInteger[] rs = Ecdsa.decodeDer(sig);
            assertThat(Ecdsa.isLowS(rs[1])).isTrue();
            assertThat(sig.length).isBetween(68, 72);
            Ecdsa.verify(publicKey, message, sig);
        }
    }

    @Test
    void signatureIsDeterministicPerKeyAndMessage() {
        assertThat(Ecdsa.sign(key, MESSAGE)).isEqualTo(Ecdsa.sign(key, MESSAGE));
    }

    @Test
    void highSIsRejectedAsFabricDoes() {
        byte[] sig = Ecdsa.sign(key, MESSAGE);
        BigInteger[] rs = Ecdsa.decodeDer(sig);
        byte[] highS = Ecdsa.encodeDer(rs[0], Ecdsa.ORDER.subtract(rs[1]));
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, highS))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("signature is high-S (Fabric rejects it)");
    }

    @Test
    void tamperedMessageAndWrongKeyFail() {
        byte[] sig = Ecdsa.sign(key, MESSAGE);
        byte[] tampered = MESSAGE.clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, tampered, sig))
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> Ecdsa.verify(otherPublicKey, MESSAGE, sig))
                .hasMessageContaining("does not verify");
    }

    @Test
    void malformedDerIsRejected() {
        byte[] sig = Ecdsa.sign(key, MESSAGE);
        byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, trailing)).hasMessageContaining("is malformed");
        byte[] truncated = Arrays.copyOf(sig, sig.length - 1);
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, truncated)).hasMessageContaining("is malformed");
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, new byte[0])).hasMessageContaining("too short");
        BigInteger[] rs = Ecdsa.decodeDer(sig);
        byte[] zeroR = Ecdsa.encodeDer(BigInteger.ZERO, rs[1]);
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, zeroR)).hasMessageContaining("between 1 and");
        // r encoded with a superfluous leading zero byte: valid BER, not DER.
        byte[] r = rs[0].toByteArray();
        byte[] s = rs[1].toByteArray();
        byte[] padded = new byte[6 + r.length + 1 + s.length];
        padded[0] = 0x30;
        padded[1] = (byte) (padded.length - 2);
        padded[2] = 0x02;
        padded[3] = (byte) (r.length + 1);
        System.arraycopy(r, 0, padded, 5, r.length);
        padded[5 + r.length] = 0x02;
        padded[6 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, padded, 7 + r.length, s.length);
        assertThatThrownBy(() -> Ecdsa.verify(publicKey, MESSAGE, padded)).hasMessageContaining("non-minimal");
    }
}
