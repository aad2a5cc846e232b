package io.fabsim.common.verify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.ParsedEnvelope;
import io.fabsim.common.testing.FabricVectors;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

/** The policy Fabric's orderer evaluates on a Deliver request: /Channel/Readers over the request's signature. */
class DeliverRequestPolicyTest {

    @Test
    void recordedRequestsSatisfyChannelReadersAndTamperedOnesDoNot() throws Exception {
        ChannelConfig config = ChannelConfig.fromBlock(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(0))));
        PolicyEvaluator evaluator = PolicyEvaluator.forConfig(config);
        byte[] bytes = FabricVectors.read(FabricVectors.dir().resolve("deliver-requests/fetch_3_mutual_tls.envelope"));
        ParsedEnvelope request = Envelopes.parse(bytes);
        assertThatCode(() -> evaluator.evaluate("/Channel/Readers", List.of(request.signedData())))
                .doesNotThrowAnyException();
        // Orderer-only policy: an Org1 admin is not an orderer org writer.
        assertThatThrownBy(() -> evaluator.evaluate("/Channel/Orderer/Writers", List.of(request.signedData())))
                .hasMessageContaining("0 sub-policies were satisfied");

        Envelope envelope = Envelope.parseFrom(bytes);
        byte[] payload = envelope.getPayload().toByteArray();
        payload[payload.length - 1] ^= 0x01;
        ParsedEnvelope tampered = Envelopes.parse(envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build());
        assertThatThrownBy(() -> evaluator.evaluate("/Channel/Readers", List.of(tampered.signedData())))
                .isInstanceOf(PolicyEvaluationException.class)
                .hasMessage("implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy"
                        + " requires 1 of the 'Readers' sub-policies to be satisfied");
    }
}
