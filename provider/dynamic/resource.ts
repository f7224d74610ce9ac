/**
 * The `SessionTermination` resource and its arguments: what a Pulumi program writes.
 */
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_TYPE, RESOURCE_MODULE, RESOURCE_NAME } from "../tokens";
import provider = require("./provider");

/** Arguments of a {@link SessionTermination}. List at least one principal across the three lists. */
export interface SessionTerminationArgs {
    /**
     * Box user IDs whose sessions to end, e.g. `["22466421"]`. Order and repeats do not matter.
     */
    userIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Box user logins (email addresses) whose sessions to end, e.g. `["jdoe@example.com"]`. Compared
     * case-insensitively and stored lower-cased.
     */
    userLogins?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Box group IDs, e.g. `["11446498"]`. Box ends the sessions of every member of each group at the
     * time of the request; people who join later are not affected.
     */
    groupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * A free-text audit note, e.g. `"HR-4412: last day 2026-11-30"`. Kept in Pulumi state and never
     * sent to Box; changing it updates state and sends nothing.
     */
    reason?: pulumi.Input<string>;
    /**
     * Any values; when they change, the resource is replaced and every listed principal's sessions
     * are terminated again. Use it to cut a group off again on demand, e.g. `[incidentId]` or
     * `[new Date().toISOString()]` for every deployment.
     */
    triggers?: pulumi.Input<unknown[]>;
}

/**
 * Ends the Box sessions of users (by ID or login) and of every member of groups, and records the
 * revocation in Pulumi state.
 *
 * - Creating it terminates every listed principal's sessions.
 * - Adding principals later terminates only the added ones; removing principals or changing `reason`
 *   sends nothing; changing `triggers` terminates everyone listed again.
 * - Deleting it sends nothing: Box cannot restore a terminated session, and the people listed may
 *   sign in again whenever their account allows.
 * - Box runs terminations as asynchronous jobs with no completion signal; `message` is Box's
 *   acknowledgement, and the admin events log shows the outcome.
 *
 * @example
 * ```ts
 * new SessionTermination("offboard-jdoe", {
 *     userIds: ["22466421"],
 *     userLogins: ["jdoe@example.com"],
 *     reason: "HR-4412: last day 2026-11-30",
 * });
 * ```
 */
export class SessionTermination extends pulumi.dynamic.Resource {
    /** The type Pulumi records for this resource: `pulumi-nodejs:dynamic/box:SessionTermination`. */
    static get __pulumiType(): string {
        return DYNAMIC_TYPE;
    }

    /**
     * Whether `obj` is a `SessionTermination`, also when another copy of this package made it (a
     * policy pack's, a vendored one), where `instanceof` would say no. Pulumi's generated SDKs test
     * the same way, by the type Pulumi records.
     */
    static isInstance(obj: unknown): obj is SessionTermination {
        return (
            typeof obj === "object" &&
            obj !== null &&
            (obj as { __pulumiType?: unknown }).__pulumiType === SessionTermination.__pulumiType
        );
    }

    /** Box user IDs whose sessions were terminated, normalized (sorted, without repeats). */
    declare readonly userIds: pulumi.Output<string[]>;
    /** Box user logins whose sessions were terminated, lower-cased and sorted. */
    declare readonly userLogins: pulumi.Output<string[]>;
    /** Box group IDs whose members' sessions were terminated, sorted. */
    declare readonly groupIds: pulumi.Output<string[]>;
    /** The audit note, as given. */
    declare readonly reason: pulumi.Output<string | undefined>;
    /** The trigger values of the last replacement, as given. */
    declare readonly triggers: pulumi.Output<unknown[] | undefined>;
    /**
     * Box's answer to the most recent termination request(s), e.g. "Request is successful, please
     * check the admin events for the status of the job". With several requests, the distinct
     * messages and the request count.
     */
    declare readonly message: pulumi.Output<string>;
    /** ISO-8601 time at which the most recent termination was sent to Box. */
    declare readonly terminatedAt: pulumi.Output<string>;
    /**
     * Box's request IDs (`box-request-id`) of the requests Box accepted in the most recent create or
     * update that sent anything: quote them to Box support, or find them in Box's logs. At most 100;
     * `requestCount` counts them all. Updates that send nothing keep them as they were.
     */
    declare readonly requestIds: pulumi.Output<string[] | undefined>;
    /** How many requests Box accepted in that create or update. */
    declare readonly requestCount: pulumi.Output<number | undefined>;

    /**
     * Declares a termination.
     *
     * @param name The unique name of the resource.
     * @param args The principals to cut off, and an optional reason and triggers.
     * @param opts Options for the resource.
     */
    constructor(name: string, args: SessionTerminationArgs, opts?: pulumi.CustomResourceOptions) {
        // Anything else is passed on, not dropped: in plain JavaScript a misspelled `userID` would
        // otherwise vanish, and `check` could not name it.
        const { userIds, userLogins, groupIds, reason, triggers, ...unknown } = (args ??
            {}) as SessionTerminationArgs & Record<string, unknown>;
        super(
            // Installed under node_modules, Pulumi captures this as a short `require` of the package's
            // "./provider" export; loaded from anywhere else (source, a workspace package, a vendored
            // copy) it copies it by value, about 190 KB per resource, kept correct by the by-value rules
            // in eslint.config.mjs. docs/security.md says how a workspace gets the short form.
            provider,
            name,
            {
                ...unknown,
                userIds,
                userLogins,
                groupIds,
                reason,
                triggers,
                // Seeded so Pulumi exposes them as outputs; the provider fills them in.
                message: undefined,
                terminatedAt: undefined,
                requestIds: undefined,
                requestCount: undefined,
            },
            opts,
            RESOURCE_MODULE,
            RESOURCE_NAME,
        );
    }
}
