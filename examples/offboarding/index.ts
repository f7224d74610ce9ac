/**
 * Offboarding one departing employee: every Box session of the person, by user ID and by login,
 * ended on `pulumi up`, with the HR ticket kept in state as the reason.
 */
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "pulumi-box-session-termination";

const config = new pulumi.Config();

const jdoe = new SessionTermination("offboard-jdoe", {
    userIds: [config.get("userId") ?? "22466421"],
    userLogins: [config.get("login") ?? "jdoe@example.com"],
    reason: config.get("reason") ?? "HR-4412: last day 2026-11-30",
});

/** Box's acknowledgement: the job is queued; the admin events log shows its outcome. */
export const message = jdoe.message;
/** When the termination was sent. */
export const terminatedAt = jdoe.terminatedAt;
