/**
 * Incident response: cut off every session of a compromised group, and do it again on demand.
 * Each time `cutoff` changes (`pulumi config set cutoff 2 && pulumi up`), the resource is replaced
 * and Box ends the sessions of every current member once more.
 */
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "pulumi-box-session-termination";

const config = new pulumi.Config();

const lockdown = new SessionTermination("incident-lockdown", {
    // Required, with no fallback: a forgotten `config set` must never cut off a sample group.
    groupIds: [config.require("groupId")],
    reason: config.require("reason"),
    triggers: [config.get("cutoff") ?? "1"],
});

/** Box's acknowledgement of the most recent cut-off. */
export const message = lockdown.message;
/** When the most recent cut-off was sent. */
export const lastCutoff = lockdown.terminatedAt;
