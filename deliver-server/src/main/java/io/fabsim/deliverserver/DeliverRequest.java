package io.fabsim.deliverserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.SignedData;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * A Deliver request envelope whose payload, channel header and signature header parsed, and whose
 * channel header passed Fabric's {@code validateChannelHeader}: a timestamp within the time window
 * of the server's clock, and under mutual TLS the client's certificate hash bound in the header.
 */
record DeliverRequest(Envelope envelope, Payload payload, ChannelHeader channelHeader, SignatureHeader signatureHeader) {

    String channelId() {
        return channelHeader.getChannelId();
    }

    SignedData signedData() {
        return new SignedData(signatureHeader.getCreator(), envelope.getPayload(), envelope.getSignature());
    }

    /** Why an envelope was refused with {@code BAD_REQUEST}. */
    static final class MalformedRequestException extends Exception {
        MalformedRequestException(String message) {
            super(message);
        }
    }

    /** Parses and validates {@code envelope} as Fabric's {@code parseEnvelope} does. */
    static DeliverRequest parse(Envelope envelope, Instant serverTime, Duration timeWindow,
            boolean mutualTls, Optional<byte[]> presentedCertHash) throws MalformedRequestException {
        Payload payload;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRequestException("envelope has an unparseable payload: " + e.getMessage());
        }
        if (!payload.hasHeader()) {
            throw new MalformedRequestException("envelope payload has no header");
        }
        try {
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRequestException("unparseable channel header: " + e.getMessage());
        }
        checkTimestamp(channelHeader, serverTime, timeWindow);
        if (mutualTls) {
            checkBinding(channelHeader, presentedCertHash);
        }
        try {
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRequestException("unparseable signature header: " + e.getMessage());
        }
        return new DeliverRequest(envelope, payload, channelHeader, signatureHeader);
    }

    private static void checkTimestamp(ChannelHeader header, Instant serverTime, Duration window)
            throws MalformedRequestException {
        if (!header.hasTimestamp()) {
            throw new MalformedRequestException("channel header in envelope must contain timestamp");
        }
        Instant envelopeTime = Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
        Duration apart = Duration.between(envelopeTime, serverTime).abs();
        if (apart.compareTo(window) > 0) {
            throw new MalformedRequestException("envelope timestamp " + envelopeTime + " is more than " + window
                    + " apart from current server time " + serverTime);
        }
    }

    /**
     * Fabric's binding inspector, applied only when the server requires client certificates: the
     * header must carry the SHA-256 of the certificate the client presented in the handshake.
     */
    private static void checkBinding(ChannelHeader header, Optional<byte[]> expected) throws MalformedRequestException {
        byte[] claimed = header.getTlsCertHash().toByteArray();
        if (claimed.length == 0) {
            throw new MalformedRequestException("client didn't include its TLS cert hash");
        }
        if (expected.isEmpty()) {
            throw new MalformedRequestException("client didn't send a TLS certificate");
        }
        if (!MessageDigest.isEqual(claimed, expected.get())) {
            throw new MalformedRequestException("claimed TLS cert hash is " + HexFormat.of().formatHex(claimed)
                    + " but actual TLS cert hash is " + HexFormat.of().formatHex(expected.get()));
        }
    }
}
