/**
 * Offboarding: every Box session of each departing employee, ended on `pulumi up`, one resource per
 * person. Leavers are listed in stack config; a resource's name comes from the person's login, so it
 * stays the same while the list grows, and adding the next leaver sends only them.
 *
 *   pulumi config set --path 'leavers[0].login' jdoe@example.com
 *   pulumi config set --path 'leavers[0].userId' 22466421          # optional
 *   pulumi config set --path 'leavers[0].reason' "HR-4412: last day 2026-11-30"
 */
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "pulumi-box-session-termination";

/** One departing employee, as listed in stack config. */
interface Leaver {
    /** Box login (email address): also names the resource. */
    login: string;
    /**
     * Box user ID, when known. `pulumi config set --path 'leavers[0].userId' 22466421` stores a
     * number, so one is taken too, as its digits.
     */
    userId?: string | number;
    /** The HR ticket and who approved it. */
    reason: string;
}

/** A user ID as Box spells it; a number past 2^53 has already lost digits, so it is refused. */
function idText(id: string | number): string {
    if (typeof id === "number" && !Number.isSafeInteger(id)) {
        throw new Error(
            `leavers: a userId has too many digits to be stored as a number; set it as text ` +
                `(pulumi config set --type string --path 'leavers[N].userId' <id>)`,
        );
    }
    return String(id);
}

const config = new pulumi.Config();
// Required, with no fallback: a forgotten `config set` must never cut off a sample person.
const leavers = config.requireObject<Leaver[]>("leavers");

/** Box's acknowledgement for each leaver, by login. */
export const messages: Record<string, pulumi.Output<string>> = {};
for (const leaver of leavers) {
    const slug = leaver.login.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const offboarding = new SessionTermination(`offboard-${slug}`, {
        userLogins: [leaver.login],
        userIds: leaver.userId === undefined ? [] : [idText(leaver.userId)],
        reason: leaver.reason,
    });
    messages[leaver.login] = offboarding.message;
}
