/**
 * GitOps revocations: a reviewed YAML file, one `SessionTermination` per entry. A pull request that
 * edits the file gets a `pulumi preview` listing exactly who would be cut off; merging runs
 * `pulumi up` (see .github/workflows/revocations.yml here, a workflow to copy).
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "pulumi-box-session-termination";
import { loadRevocations } from "pulumi-box-session-termination/revocations";

const config = new pulumi.Config();
// Required: a stack that names no file must not fall back to anyone's list.
const file = path.resolve(config.require("revocationsFile"));

/** Box's acknowledgement for each revocation, by name. */
export const messages: Record<string, pulumi.Output<string>> = {};
for (const { name, ...args } of loadRevocations(file)) {
    messages[name] = new SessionTermination(name, args).message;
}
