/**
 * The design this package is measured against: what wrapping Box's CLI in `@pulumi/command` with
 * `triggers` amounts to. Any change to the inputs (even a reordered list or a new reason) re-runs the
 * command, which posts every listed principal again. No normalization, no diff of principals.
 * Bench-only; reads BOX_BASE_URL and BOX_ACCESS_TOKEN from the provider host's environment.
 */
import * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

const naiveProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: Props, news: Props) {
        const strip = (p: Props) =>
            JSON.stringify({ u: p.userIds, l: p.userLogins, g: p.groupIds, r: p.reason });
        const changed = strip(olds) !== strip(news);
        return { changes: changed, replaces: changed ? ["triggers"] : [] };
    },
    async create(inputs: Props) {
        const post = async (path: string, body: unknown) => {
            const res = await fetch(`${process.env.BOX_BASE_URL}${path}`, {
                method: "POST",
                headers: {
                    authorization: `Bearer ${process.env.BOX_ACCESS_TOKEN}`,
                    "content-type": "application/json",
                },
                body: JSON.stringify(body),
            });
            if (res.status !== 202) throw new Error(`Box answered ${res.status}`);
        };
        const users = (inputs.userIds as string[] | undefined) ?? [];
        const logins = (inputs.userLogins as string[] | undefined) ?? [];
        const groups = (inputs.groupIds as string[] | undefined) ?? [];
        if (users.length || logins.length)
            await post("/2.0/users/terminate_sessions", { user_ids: users, user_logins: logins });
        if (groups.length) await post("/2.0/groups/terminate_sessions", { group_ids: groups });
        return { id: `naive-${Date.now()}`, outs: inputs };
    },
    async read(id: string, props: Props) {
        return { id, props };
    },
};

/** Arguments of the naive termination: the same lists, passed through as the command's triggers. */
export interface NaiveArgs {
    /** Box user IDs. */
    userIds?: string[];
    /** Box user logins. */
    userLogins?: string[];
    /** Box group IDs. */
    groupIds?: string[];
    /** Part of the command line, so part of its triggers. */
    reason?: string;
}

/** A command-style termination: re-posts everyone whenever anything changes. */
export class NaiveTermination extends pulumi.dynamic.Resource {
    /** Registers the resource with the naive provider. */
    constructor(name: string, args: NaiveArgs) {
        super(naiveProvider, name, { ...args }, undefined, "bench", "NaiveTermination");
    }
}

/** The smallest dynamic resource, for registration and host-start baselines. */
const trivialProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        return { id: "trivial", outs: {} };
    },
};

/** A dynamic resource whose provider does nothing. */
export class Trivial extends pulumi.dynamic.Resource {
    /** Registers a trivial resource. */
    constructor(name: string, args: Props = {}) {
        super(trivialProvider, name, args, undefined, "bench", "Trivial");
    }
}
