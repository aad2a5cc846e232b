package io.fabsim.common.configtx;

import io.fabsim.common.config.HostPort;
import java.util.List;
import java.util.Set;

/** What {@link ConfigParser} reads from {@code /Channel}, before it becomes a {@link ChannelConfig}. */
record ParsedGroups(List<OrgConfig> applicationOrgs, List<OrgConfig> ordererOrgs,
                    List<HostPort> globalOrdererAddresses, OrdererSettings orderer,
                    Set<String> channelCapabilities, Set<String> applicationCapabilities,
                    PolicyGroup policies) {
}
