package io.fabsim.common.configtx;

import java.util.Map;
import java.util.Optional;

/**
 * The policy tree of one config group: its own policies by name and its sub-groups by name, at
 * {@code path} (e.g. {@code /Channel/Orderer}). Maps keep the config's key order.
 */
public record PolicyGroup(String path, Map<String, PolicyRule> policies, Map<String, PolicyGroup> groups) {

    public PolicyGroup {
        policies = Map.copyOf(policies);
        groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
    }

    /**
     * The group at {@code relative} below this one ({@code Orderer/OrdererOrg}); empty string = this.
     */
    public Optional<PolicyGroup> group(String relative) {
        PolicyGroup current = this;
        for (String part : relative.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            current = current.groups.get(part);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }
}
