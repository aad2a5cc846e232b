package io.fabsim.common.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Test-only identities read from Fabric MSP folders with the JDK (no dependency on fabsim's own
 * MSP code): a {@link Signer} over {@code signcerts/} + {@code keystore/priv_sk} that emits low-S
 * DER signatures, and a plain signature check against the certificate in a serialized identity.
 */
public final class VectorIdentities {

    private static final BigInteger N = ECNamedCurveTable.getByName("P-256").getN();

    private VectorIdentities() {
    }

    /** The signer of an MSP folder such as {@code .../orderers/orderer.example.com/msp}. */
    public static Signer signer(String mspId, Path mspDir) {
        try {
            Path certFile = single(mspDir.resolve("signcerts"));
            Path keyFile = single(mspDir.resolve("keystore"));
            byte[] pem = Files.readAllBytes(certFile);
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyFile)));
            byte[] serialized = SerializedIdentity.newBuilder()
                    .setMspid(mspId).setIdBytes(ByteString.copyFrom(pem)).build().toByteArray();
            return new Signer() {
                @Override
                public String mspId() {
                    return mspId;
                }

                @Override
                public byte[] serializedIdentity() {
                    return serialized.clone();
                }

                @Override
                public byte[] sign(byte[] message) {
                    return signLowS(key, message);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if {@code signature} over {@code data} verifies with the certificate inside {@code serializedIdentity}. */
    public static boolean verifies(ByteString serializedIdentity, ByteString data, ByteString signature) {
        try {
            X509Certificate cert = certificate(serializedIdentity);
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(data.toByteArray());
            return verifier.verify(signature.toByteArray());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static X509Certificate certificate(ByteString serializedIdentity) {
        try {
            SerializedIdentity id = SerializedIdentity.parseFrom(serializedIdentity);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(id.getIdBytes().toByteArray()));
        } catch (InvalidProtocolBufferException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a serialized X.509 identity", e);
        }
    }

    private static byte[] signLowS(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(message);
            ASN1Sequence seq = ASN1Sequence.getInstance(signer.sign());
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            if (s.compareTo(N.shiftRight(1)) > 0) {
                s = N.subtract(s);
            }
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path single(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IOException("no file in " + dir));
        }
    }

    private static byte[] pemBody(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
