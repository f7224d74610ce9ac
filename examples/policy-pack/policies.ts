/**
 * The organization's rules for Box session revocations, as Pulumi policies. Kept apart from index.ts
 * (which only wraps them in a PolicyPack) so that they can be unit-tested through their validation
 * functions without the Pulumi CLI.
 */
import { sessionTerminationPolicies } from "pulumi-box-session-termination/policy";

export const policies = sessionTerminationPolicies({
    // Every revocation cites an HR or security ticket.
    reason: { pattern: "^(HR|SEC)-[0-9]+" },
    // More than this in one resource needs a second look (or a raised limit in the pack's config).
    maxPrincipals: { max: 500 },
    // Never cut off: the break-glass admin, the payroll service account, the All Users group.
    protectedPrincipals: {
        userIds: ["11111111"],
        userLogins: ["breakglass@example.com", "payroll-svc@example.com"],
        groupIds: ["1"],
    },
});
